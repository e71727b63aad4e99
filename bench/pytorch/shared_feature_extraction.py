"""Shared Feature Extraction Layer (examples/shared-feature-extraction.ts): one LSTM read by two branches."""

import torch
from torch import nn

from keras_defaults import categorical_crossentropy, lstm

learning_rate = 0.003


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.extract1 = lstm(32, 64)
        self.interp1 = nn.Linear(64, 32)
        self.interp11 = nn.Linear(64, 64)
        self.interp12 = nn.Linear(64, 32)
        self.output = nn.Linear(64, 10)

    def forward(self, x):
        _, (last, _) = self.extract1(x)
        extract1 = last[-1]
        interp1 = torch.relu(self.interp1(extract1))
        interp12 = torch.relu(self.interp12(torch.relu(self.interp11(extract1))))
        merge = torch.cat([interp1, interp12], 1)
        return (torch.softmax(self.output(merge), -1),)


def data(samples):
    labels = torch.randint(0, 10, (samples,))
    return (torch.randn(samples, 100, 32),), (nn.functional.one_hot(labels, 10).float(),)


def loss(outputs, targets):
    return categorical_crossentropy(outputs[0], targets[0])
