"""A tiny stand-in for a Piper voice: a real ONNX model with Piper's inputs and outputs that sings a tone.

It lets the tests load and run ``PiperEngine`` through onnxruntime and piper-tts exactly as with a real
voice (nothing is downloaded; real voices are an operator's choice, see docs/radio.md).
"""

from __future__ import annotations

import json
from pathlib import Path


def write_fake_voice(folder: Path, name: str = "vi_VN-test-low", sample_rate: int = 22050) -> Path:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from piper.phoneme_ids import DEFAULT_PHONEME_ID_MAP

    def const(name, value, dtype):
        return helper.make_node(
            "Constant", [], [name], value=numpy_helper.from_array(np.array(value, dtype=dtype), name=name + "_v")
        )

    nodes = [
        const("repeats", [1, 256], np.int64),
        helper.make_node("Cast", ["input"], ["ids"], to=TensorProto.FLOAT),
        helper.make_node("Tile", ["ids", "repeats"], ["tiled"]),
        helper.make_node("Shape", ["tiled"], ["shape"]),
        const("one", 1, np.int64),
        helper.make_node("Gather", ["shape", "one"], ["length"], axis=0),
        const("zero", 0, np.int64),
        helper.make_node("Range", ["zero", "length", "one"], ["steps"]),
        helper.make_node("Cast", ["steps"], ["t"], to=TensorProto.FLOAT),
        const("omega", 2 * np.pi * 220 / sample_rate, np.float32),
        helper.make_node("Mul", ["t", "omega"], ["phase"]),
        helper.make_node("Sin", ["phase"], ["tone"]),
        const("half", 0.5, np.float32),
        helper.make_node("Mul", ["tone", "half"], ["quiet"]),
        const("shape4", [1, 1, 1, -1], np.int64),
        helper.make_node("Reshape", ["quiet", "shape4"], ["output"]),
    ]
    graph = helper.make_graph(
        nodes,
        "fake_piper",
        [
            helper.make_tensor_value_info("input", TensorProto.INT64, [1, None]),
            helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
            helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
        ],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, 1, None])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.onnx"
    onnx.save(model, path)
    config = {
        "audio": {"sample_rate": sample_rate},
        "espeak": {"voice": "vi"},
        "phoneme_type": "espeak",
        "num_symbols": 256,
        "num_speakers": 1,
        "phoneme_id_map": DEFAULT_PHONEME_ID_MAP,
        "inference": {"noise_scale": 0.667, "length_scale": 1, "noise_w": 0.8},
    }
    (folder / f"{name}.onnx.json").write_text(json.dumps(config), encoding="utf-8")
    return path
