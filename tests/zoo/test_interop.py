"""from_keras_gru and from_torch_gru convert exactly (to 1e-5), z = 1 − Γu."""

import keras
import numpy as np
import pytest

import zoo


def numpy_of(tensor):
    return keras.ops.convert_to_numpy(tensor)


@pytest.mark.parametrize("reset_after", [False, True])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_from_keras_gru_gives_the_same_outputs(reset_after, return_sequences, go_backwards):
    x = np.random.default_rng(0).normal(size=(3, 6, 4)).astype("float32")
    source = keras.layers.GRU(
        5,
        reset_after=reset_after,
        return_sequences=return_sequences,
        go_backwards=go_backwards,
        bias_initializer="random_normal",
    )
    expected = numpy_of(source(x))
    converted = zoo.from_keras_gru(source)
    assert isinstance(converted, zoo.GRU)
    assert converted.cell.reset_after == reset_after
    assert converted.return_sequences == return_sequences
    np.testing.assert_allclose(numpy_of(converted(x)), expected, atol=1e-5)


def test_from_keras_gru_negates_only_the_update_block():
    source = keras.layers.GRU(2, reset_after=False)
    source.build((None, None, 3))
    converted = zoo.from_keras_gru(source)
    kernel, converted_kernel = numpy_of(source.cell.kernel), numpy_of(converted.cell.kernel)
    np.testing.assert_array_equal(converted_kernel[:, :2], -kernel[:, :2])
    np.testing.assert_array_equal(converted_kernel[:, 2:], kernel[:, 2:])


def test_from_keras_gru_keeps_the_mask_behaviour():
    tokens = np.array([[1, 2, 3, 0], [4, 5, 0, 0]])
    embedding = keras.layers.Embedding(6, 3, mask_zero=True)
    source = keras.layers.GRU(4)
    expected = numpy_of(source(embedding(tokens)))
    converted = zoo.from_keras_gru(source)
    np.testing.assert_allclose(numpy_of(converted(embedding(tokens))), expected, atol=1e-5)


def test_from_keras_gru_rejects_an_unbuilt_layer():
    with pytest.raises(ValueError, match="argument `layer`"):
        zoo.from_keras_gru(keras.layers.GRU(3))


@pytest.mark.parametrize(
    "argument, expected",
    [
        (
            {"recurrent_activation": "relu"},
            r"a recurrent activation with f\(−v\) = 1 − f\(v\).*got 'relu'",
        ),
        (
            {"kernel_constraint": "non_neg"},
            r"a kernel_constraint blind to the weights' signs.*NonNeg",
        ),
    ],
)
def test_from_keras_gru_rejects_what_negating_z_would_change(argument, expected):
    source = keras.layers.GRU(3, **argument)
    source.build((None, None, 2))
    with pytest.raises(ValueError, match=r"argument `layer`, expected a GRU with " + expected):
        zoo.from_keras_gru(source)


def test_trace_of_a_keras_gru_reports_gates_in_the_course_convention():
    x = np.random.default_rng(1).normal(size=(2, 5, 3)).astype("float32")
    source = keras.layers.GRU(4, return_sequences=True)
    expected = numpy_of(source(x))
    traced = zoo.trace(source, x)[source.name]
    np.testing.assert_allclose(traced["state"], expected, atol=1e-5)
    # Γu = 1 − z: with c⟨0⟩ = 0, c⟨1⟩ = Γu ⊙ c̃⟨1⟩.
    np.testing.assert_allclose(
        traced["state"][:, 0], traced["update"][:, 0] * traced["candidate"][:, 0], atol=1e-6
    )


@pytest.mark.parametrize("batch_first", [True, False])
@pytest.mark.parametrize("bias", [True, False])
def test_from_torch_gru_gives_the_same_outputs(batch_first, bias):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    module = torch.nn.GRU(4, 5, batch_first=batch_first, bias=bias)
    x = np.random.default_rng(2).normal(size=(3, 6, 4)).astype("float32")
    torch_input = torch.from_numpy(x if batch_first else x.transpose(1, 0, 2))
    with torch.no_grad():
        expected = module(torch_input)[0].numpy()
    if not batch_first:
        expected = expected.transpose(1, 0, 2)
    converted = zoo.from_torch_gru(module)
    assert converted.cell.reset_after and converted.return_sequences
    np.testing.assert_allclose(numpy_of(converted(x)), expected, atol=1e-5)


@pytest.mark.parametrize("kwargs", [{"num_layers": 2}, {"bidirectional": True}])
def test_from_torch_gru_rejects_stacked_or_bidirectional_modules(kwargs):
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match="argument `module`"):
        zoo.from_torch_gru(torch.nn.GRU(3, 4, **kwargs))
