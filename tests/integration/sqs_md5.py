"""AWS's MD5 digests of SQS messages, written from the AWS documentation
("Calculating the MD5 message digest for message attributes", SQS Developer
Guide), independently of the server's C++ code, so tests can check the server.

Message attributes (and, with the same encoding, message system attributes):
  1. sort the attributes by name, ascending (byte order of the UTF-8 names);
  2. for each attribute append
       - the name:      4-byte big-endian length, then its UTF-8 bytes
       - the data type: 4-byte big-endian length, then its UTF-8 bytes
                        (the full type, custom suffix included: "Number.float")
       - transport type: one byte, 1 for String and Number, 2 for Binary
                        (custom types use their base type's transport)
       - the value:     4-byte big-endian length, then the bytes
                        (UTF-8 of StringValue, or the raw BinaryValue bytes);
  3. MD5 of the whole byte string, as lowercase hex.
The body digest is the MD5 of the body's UTF-8 bytes.
Stdlib only.
"""

import base64
import hashlib
import struct

_STRING_TRANSPORT = 1
_BINARY_TRANSPORT = 2


def md5_of_body(body):
    """MD5OfMessageBody / MD5OfBody for a str body."""
    return hashlib.md5(body.encode("utf-8")).hexdigest()


def _length_prefixed(data):
    return struct.pack(">I", len(data)) + data


def _binary_bytes(value):
    # boto3 returns/accepts bytes; raw JSON carries base64 text.
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return base64.b64decode(value)


def md5_of_attributes(attributes):
    """MD5OfMessageAttributes (or MD5OfMessageSystemAttributes) of a mapping
    name -> {"DataType": ..., "StringValue" | "BinaryValue": ...}, shaped as
    boto3 takes and returns it. None for an empty or missing mapping (AWS then
    omits the digest)."""
    if not attributes:
        return None
    encoded = bytearray()
    for name in sorted(attributes, key=lambda n: n.encode("utf-8")):
        attr = attributes[name]
        data_type = attr["DataType"]
        encoded += _length_prefixed(name.encode("utf-8"))
        encoded += _length_prefixed(data_type.encode("utf-8"))
        base_type = data_type.split(".", 1)[0]
        if base_type == "Binary":
            encoded += bytes([_BINARY_TRANSPORT])
            encoded += _length_prefixed(_binary_bytes(attr["BinaryValue"]))
        else:  # String and Number travel as strings
            encoded += bytes([_STRING_TRANSPORT])
            encoded += _length_prefixed(attr["StringValue"].encode("utf-8"))
    return hashlib.md5(bytes(encoded)).hexdigest()
