"""Files as prediction inputs, with upload progress, and an output file saved to disk.

    python examples/file_inputs.py

A `Path`, an open binary file or `bytes` anywhere in `input` is uploaded first and replaced by
its URL; a plain string never is. Reads WRIFTAI_ACCESS_TOKEN (and WRIFTAI_API_BASE_URL if set).
`demo/echo` echoes its input, so the output shows what the model received; its `output_file`
input makes the reference server answer with a file URL.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from predictkit import Client

MODEL = "demo/echo"


def show(sent: int, total: int) -> None:
    print(f"  uploaded {sent}/{total} bytes")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, Client() as client:
        photo = Path(tmp) / "photo.png"
        photo.write_bytes(b"\x89PNG not really a picture" * 1000)

        # Upload yourself to follow progress; resolve_files returns the input with URLs in it.
        # The same file twice (here as a path and as bytes equal to it) is uploaded once.
        files: dict[str, Any] = {
            "image": photo,
            "images": [photo.read_bytes(), b"a mask"],
            "prompt": "a cat",
        }
        input_ = client.uploads.resolve_files(files, on_progress=show)
        print(f"uploaded once: {input_['image'] == input_['images'][0]}")
        p = client.predictions.create({"input": input_}, model=MODEL, wait=True)
        print(f"{p.status}: image sent as {p.output['image'].split('/files/')[0]}/files/...")

        with photo.open("rb") as file:  # or pass files straight to create()
            p = client.predictions.create({"input": {"image": file}}, model=MODEL, wait=True)
        print(
            f"{p.status}: an open file, sent as a URL too: {p.output['image'].startswith('http')}"
        )

        made = client.predictions.create(
            {"input": {"output_file": "a lake at dawn"}}, model=MODEL, wait=True
        )
        target = Path(tmp) / "result.txt"
        client.predictions.download_output(made.output, target)
        print(f"downloaded {target.stat().st_size} bytes: {target.read_text()!r}")


if __name__ == "__main__":
    main()
