"""Bidirectional recurrent neural network (examples/bilstm.ts): a 10-way tag for each of 100 tokens.

Bidirectional(LSTM(64, return_sequences=True)) concatenates the two directions, as nn.LSTM(bidirectional=True)
does. Ids start at 1, so Keras's mask_zero masks nothing (see rnn.py).
"""

import torch
from torch import nn

from keras_defaults import categorical_crossentropy, lstm

VOCAB_SIZE = 10000
EMBED_DIM = 128
HIDDEN_SIZE = 64
learning_rate = 0.01


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB_SIZE, EMBED_DIM)
        self.hidden = lstm(EMBED_DIM, HIDDEN_SIZE, bidirectional=True)
        self.output = nn.Linear(2 * HIDDEN_SIZE, 10)

    def forward(self, x):
        hidden, _ = self.hidden(self.embedding(x))
        return (torch.softmax(self.output(hidden), -1),)


def data(samples):
    ids = torch.randint(1, VOCAB_SIZE, (samples, 100))
    return (ids,), (nn.functional.one_hot(ids % 10, 10).float(),)


def loss(outputs, targets):
    return categorical_crossentropy(outputs[0], targets[0])
