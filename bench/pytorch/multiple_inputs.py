"""Multiple Input Model (examples/multiple-inputs.ts): a 64x64 grey and a 32x32 RGB image, one decision.

Channels-first, as in cnn.py: the inputs are [1, 64, 64] and [3, 32, 32].
"""

import torch
from torch import nn

from keras_defaults import binary_crossentropy

learning_rate = 0.001


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv11 = nn.Conv2d(1, 32, 5)  # 64 -> 60, pooled to 30
        self.conv12 = nn.Conv2d(32, 16, 3)  # 30 -> 28, pooled to 14
        self.conv21 = nn.Conv2d(3, 32, 5)  # 32 -> 28, pooled to 14
        self.conv22 = nn.Conv2d(32, 16, 3)  # 14 -> 12, pooled to 6
        self.hidden1 = nn.Linear(14 * 14 * 16 + 6 * 6 * 16, 20)
        self.output = nn.Linear(20, 1)

    def forward(self, input1, input2):
        pool11 = nn.functional.max_pool2d(torch.relu(self.conv11(input1)), 2)
        pool12 = nn.functional.max_pool2d(torch.relu(self.conv12(pool11)), 2)
        pool21 = nn.functional.max_pool2d(torch.relu(self.conv21(input2)), 2)
        pool22 = nn.functional.max_pool2d(torch.relu(self.conv22(pool21)), 2)
        merge = torch.cat([torch.flatten(pool12, 1), torch.flatten(pool22, 1)], 1)
        hidden1 = torch.relu(self.hidden1(merge))
        return (torch.sigmoid(self.output(hidden1)),)


def data(samples):
    inputs = (torch.randn(samples, 1, 64, 64), torch.randn(samples, 3, 32, 32))
    return inputs, (torch.randint(0, 2, (samples, 1)).float(),)


def loss(outputs, targets):
    return binary_crossentropy(outputs[0], targets[0])
