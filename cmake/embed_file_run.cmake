# Script mode half of embed_file(): writes the bytes as a hex char array.
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE ${OUTPUT} "// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace shoal::embedded {\nstatic const char ${SYMBOL}_data[] = {${bytes}};\nextern const std::string_view ${SYMBOL};\nconst std::string_view ${SYMBOL}(${SYMBOL}_data, ${size});\n}\n")
