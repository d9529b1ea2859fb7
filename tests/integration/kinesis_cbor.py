"""CBOR for the Kinesis tests, with a real CBOR library: cbor2.

Where cbor2 comes from: scripts/install-deps.sh installs Debian's
python3-cbor2 into /usr/lib/python3/dist-packages. Debian's own python3 sees
it directly. A different python3 of the same minor version (this machine's
default is a pyenv 3.11 that does not look in Debian's dist-packages) gets
that directory appended to sys.path here; it is appended, not prepended, so
nothing else the interpreter already has is shadowed. cbor2 carries a
pure-Python implementation, so the C extension matching is not required.

decode() keeps tag 1 (epoch time) as a raw CBORTag instead of a datetime:
the tests check the *unit* AWS uses for the Java SDK (milliseconds), which a
datetime conversion would hide (cbor2 would read milliseconds as seconds and
fail on the year). Everything else is decoded by cbor2 itself.
"""

import io
import sys

try:
    import cbor2
except ImportError:
    _DEBIAN = "/usr/lib/python3/dist-packages"
    if _DEBIAN not in sys.path:
        sys.path.append(_DEBIAN)
    try:
        import cbor2
    except ImportError as e:
        raise ImportError("cbor2 not found: run scripts/install-deps.sh (Debian package python3-cbor2)") from e

try:  # cbor2 >= 5.5 keeps the pure-Python decoder in cbor2._decoder
    from cbor2 import _decoder as _pydecoder
except ImportError:  # cbor2 5.4 (Debian 12)
    from cbor2 import decoder as _pydecoder

CBORTag = cbor2.CBORTag


def _raw_epoch(decoder):
    return CBORTag(1, decoder._decode())


def encode(value):
    return cbor2.dumps(value)


def decode(data):
    """Decode one CBOR item; tag 1 stays CBORTag(1, number)."""
    saved = _pydecoder.semantic_decoders.get(1)
    _pydecoder.semantic_decoders[1] = _raw_epoch
    try:
        fp = io.BytesIO(data)
        value = _pydecoder.CBORDecoder(fp).decode()
        if fp.read(1):
            raise ValueError("trailing bytes after the CBOR item")
        return value
    finally:
        _pydecoder.semantic_decoders[1] = saved


def epoch_tag_ms(dt):
    """A tag-1 timestamp in epoch milliseconds, as the AWS Java SDK writes one."""
    return CBORTag(1, int(round(dt.timestamp() * 1000)))
