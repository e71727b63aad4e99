"""Convolutional Neural Network (examples/cnn.ts): 64x64 RGB images, three conv/pool stages, 10 classes.

PyTorch convolutions are channels-first: the images are [3, 64, 64] where Keras has [64, 64, 3]; Flatten then
reads the features in another order, which only permutes the Dense kernel's rows.
"""

import torch
from torch import nn

from keras_defaults import categorical_crossentropy

learning_rate = 0.002


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 5)  # 64 -> 60, pooled to 30
        self.conv2 = nn.Conv2d(16, 32, 3)  # 30 -> 28, pooled to 14
        self.conv3 = nn.Conv2d(32, 32, 3)  # 14 -> 12, pooled to 6
        self.hidden1 = nn.Linear(6 * 6 * 32, 512)
        self.output = nn.Linear(512, 10)

    def forward(self, x):
        pool1 = nn.functional.max_pool2d(torch.relu(self.conv1(x)), 2)
        pool2 = nn.functional.max_pool2d(torch.relu(self.conv2(pool1)), 2)
        pool3 = nn.functional.max_pool2d(torch.relu(self.conv3(pool2)), 2)
        flat = torch.flatten(pool3, 1)
        hidden1 = torch.relu(self.hidden1(flat))
        return (torch.softmax(self.output(hidden1), -1),)


def data(samples):
    labels = torch.randint(0, 10, (samples,))
    return (torch.randn(samples, 3, 64, 64),), (nn.functional.one_hot(labels, 10).float(),)


def loss(outputs, targets):
    return categorical_crossentropy(outputs[0], targets[0])
