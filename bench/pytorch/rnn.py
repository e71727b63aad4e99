"""Recurrent Neural Network (examples/rnn.ts): 100 token ids, Embedding(10000, 128), LSTM(64), two Dense.

Keras's mask_zero makes the LSTM skip id 0; the benchmark's ids start at 1, so every mask is all true and the
plain nn.LSTM computes the same.
"""

import torch
from torch import nn

from keras_defaults import binary_crossentropy, lstm

VOCAB_SIZE = 10000
EMBED_DIM = 128
learning_rate = 0.002


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB_SIZE, EMBED_DIM)
        self.hidden1 = lstm(EMBED_DIM, 64)
        self.hidden2 = nn.Linear(64, 32)
        self.output = nn.Linear(32, 1)

    def forward(self, x):
        embedding = self.embedding(x)
        _, (last, _) = self.hidden1(embedding)
        hidden2 = torch.relu(self.hidden2(last[-1]))
        return (torch.sigmoid(self.output(hidden2)),)


def data(samples):
    ids = torch.randint(1, VOCAB_SIZE, (samples, 100))
    return (ids,), (torch.randint(0, 2, (samples, 1)).float(),)


def loss(outputs, targets):
    return binary_crossentropy(outputs[0], targets[0])
