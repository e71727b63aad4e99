"""One PyTorch measurement for npm run bench:train, the twin of scripts/bench-train-one.ts.

Usage: python3 bench/pytorch/bench.py <model> <batches> <threads>
  trains the model on random data of its shapes, batch 32, with Adam at the example's learning rate: one warm-up
  batch, then epochs of <batches> batches until two seconds have passed; prints {"samplesPerSecond", "params"}.
Usage: python3 bench/pytorch/bench.py params
  prints each model's trainable parameter count, {"mlp": 771, ...}, for the test against kerats' countParams().
"""

import importlib
import json
import sys
import time

import torch

from keras_defaults import accuracy, trainable_parameters

BATCH_SIZE = 32
MODELS = [
    "mlp",
    "cnn",
    "rnn",
    "bilstm",
    "shared-input",
    "shared-feature-extraction",
    "multiple-inputs",
    "multiple-outputs",
]


def load(name):
    return importlib.import_module(name.replace("-", "_"))


def count(model):
    return sum(parameter.numel() for parameter in trainable_parameters(model))


def fit(model, definition, optimizer, inputs, targets):
    """One epoch, as Keras's fit runs it: shuffled batches of 32, loss, gradients, an Adam step, accuracy."""
    samples = inputs[0].shape[0]
    order = torch.randperm(samples)
    for start in range(0, samples, BATCH_SIZE):
        batch = order[start : start + BATCH_SIZE]
        outputs = model(*(each[batch] for each in inputs))
        wanted = tuple(each[batch] for each in targets)
        loss = definition.loss(outputs, wanted)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        for output, target in zip(outputs, wanted):
            accuracy(output, target)


def measure(name, batches):
    definition = load(name)
    model = definition.Model()
    model.train()
    # Keras's Adam: epsilon 1e-7 (PyTorch's default is 1e-8).
    optimizer = torch.optim.Adam(trainable_parameters(model), lr=definition.learning_rate, eps=1e-7)
    fit(model, definition, optimizer, *definition.data(BATCH_SIZE))
    inputs, targets = definition.data(batches * BATCH_SIZE)
    start = time.perf_counter()
    rounds = 0
    while True:
        fit(model, definition, optimizer, inputs, targets)
        rounds += 1
        if time.perf_counter() - start >= 2:
            break
    seconds = time.perf_counter() - start
    return {"samplesPerSecond": rounds * batches * BATCH_SIZE / seconds, "params": count(model)}


def main(arguments):
    if arguments == ["params"]:
        return {name: count(load(name).Model()) for name in MODELS}
    if len(arguments) != 3 or arguments[0] not in MODELS:
        return {"error": f"usage: bench.py <{'|'.join(MODELS)}> <batches> <threads>, or bench.py params"}
    name, batches, threads = arguments
    torch.set_num_threads(int(threads))
    return measure(name, int(batches))


if __name__ == "__main__":
    try:
        result = main(sys.argv[1:])
    except Exception as error:  # reported as data, like bench-train-one's { error }
        result = {"error": f"{type(error).__name__}: {error}".split("\n")[0]}
    print(json.dumps(result))
    sys.exit(1 if "error" in result else 0)
