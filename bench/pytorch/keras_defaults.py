"""What the eight models share: Keras's defaults and losses, written in PyTorch.

Keras's LSTM has one bias per gate; PyTorch's has two (bias_ih and bias_hh), added together. The second is held
at zero and frozen, so the math and the trainable parameter count are Keras's.
"""

import torch
from torch import nn

# Keras clips probabilities to [epsilon, 1 - epsilon] before taking logs (keras.backend.epsilon()).
EPSILON = 1e-7


def lstm(input_size, units, bidirectional=False):
    layer = nn.LSTM(input_size, units, batch_first=True, bidirectional=bidirectional)
    for name, parameter in layer.named_parameters():
        if name.startswith("bias_hh"):
            parameter.requires_grad_(False)
            with torch.no_grad():
                parameter.zero_()
    return layer


def categorical_crossentropy(probabilities, targets):
    """Keras's categorical cross-entropy on softmax outputs: mean over every position of -sum(y log p)."""
    clipped = probabilities.clamp(EPSILON, 1 - EPSILON)
    return -(targets * clipped.log()).sum(-1).mean()


def binary_crossentropy(probabilities, targets):
    clipped = probabilities.clamp(EPSILON, 1 - EPSILON)
    return -(targets * clipped.log() + (1 - targets) * (1 - clipped).log()).mean()


def mean_squared_error(predictions, targets):
    return (predictions - targets).square().mean()


def accuracy(outputs, targets):
    """Keras's 'accuracy' resolved as kerats does: binary for one unit, categorical otherwise."""
    with torch.no_grad():
        if outputs.shape[-1] == 1:
            return ((outputs > 0.5).float() == targets).float().mean()
        return (outputs.argmax(-1) == targets.argmax(-1)).float().mean()


def trainable_parameters(model):
    return [parameter for parameter in model.parameters() if parameter.requires_grad]
