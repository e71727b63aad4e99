"""Shared Input Layer (examples/shared-input.ts): two conv/pool extractors read one 64x64 RGB image.

As in the Keras seed, the output reads the merge directly; the seed's hidden1 reaches no output, so it is not
part of the model (kerats and Keras leave it out too). Channels-first, as in cnn.py.
"""

import torch
from torch import nn

from keras_defaults import categorical_crossentropy

learning_rate = 0.0002


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3)  # 64 -> 62, pooled to 31
        self.conv2 = nn.Conv2d(3, 16, 5)  # 64 -> 60, pooled to 30
        self.output = nn.Linear(31 * 31 * 32 + 30 * 30 * 16, 10)

    def forward(self, x):
        flat1 = torch.flatten(nn.functional.max_pool2d(torch.relu(self.conv1(x)), 2), 1)
        flat2 = torch.flatten(nn.functional.max_pool2d(torch.relu(self.conv2(x)), 2), 1)
        merge = torch.cat([flat1, flat2], 1)
        return (torch.softmax(self.output(merge), -1),)


def data(samples):
    labels = torch.randint(0, 10, (samples,))
    return (torch.randn(samples, 3, 64, 64),), (nn.functional.one_hot(labels, 10).float(),)


def loss(outputs, targets):
    return categorical_crossentropy(outputs[0], targets[0])
