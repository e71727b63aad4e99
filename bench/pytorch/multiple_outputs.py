"""Multiple Output Model (examples/multiple-outputs.ts): one LSTM, a sequence class and a per-step value.

The loss is Keras's for two outputs: the sum of binary cross-entropy and mean squared error, weights 1.
"""

import torch
from torch import nn

from keras_defaults import binary_crossentropy, lstm, mean_squared_error

learning_rate = 0.01


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.extract = lstm(1, 10)
        self.class11 = lstm(10, 10)
        self.class12 = nn.Linear(10, 10)
        self.output1 = nn.Linear(10, 1)
        self.output2 = nn.Linear(10, 1)  # TimeDistributed(Dense(1)): nn.Linear maps the last axis at every step

    def forward(self, x):
        extract, _ = self.extract(x)
        _, (last, _) = self.class11(extract)
        class12 = torch.relu(self.class12(last[-1]))
        return torch.sigmoid(self.output1(class12)), self.output2(extract)


def data(samples):
    sequence = torch.randn(samples, 100, 1)
    return (sequence,), (torch.randint(0, 2, (samples, 1)).float(), 2 * sequence)


def loss(outputs, targets):
    return binary_crossentropy(outputs[0], targets[0]) + mean_squared_error(outputs[1], targets[1])
