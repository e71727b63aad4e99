"""Multilayer Perceptron (examples/mlp.ts): 32 features, three ReLU Dense layers, a sigmoid unit."""

import torch
from torch import nn

from keras_defaults import binary_crossentropy

learning_rate = 0.001


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden1 = nn.Linear(32, 10)
        self.hidden2 = nn.Linear(10, 20)
        self.hidden3 = nn.Linear(20, 10)
        self.output = nn.Linear(10, 1)

    def forward(self, x):
        hidden1 = torch.relu(self.hidden1(x))
        hidden2 = torch.relu(self.hidden2(hidden1))
        hidden3 = torch.relu(self.hidden3(hidden2))
        return (torch.sigmoid(self.output(hidden3)),)


def data(samples):
    return (torch.randn(samples, 32),), (torch.randint(0, 2, (samples, 1)).float(),)


def loss(outputs, targets):
    return binary_crossentropy(outputs[0], targets[0])
