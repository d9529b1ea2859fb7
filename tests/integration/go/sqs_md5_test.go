// AWS's MD5 digests of SQS messages, written from the AWS documentation
// ("Calculating the MD5 message digest for message attributes"): attributes
// sorted by name; for each, the name and the data type each as a 4-byte
// big-endian length and bytes, one transport byte (1 String/Number, 2
// Binary), then the value as length and bytes. The Go SDK v1 checks only the
// body digest itself, so the tests check attribute digests with this.
package shoalgo

import (
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go/service/sqs"
)

func lengthPrefixed(buf []byte, data []byte) []byte {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	return append(append(buf, n[:]...), data...)
}

type attributeValue struct {
	dataType string
	str      *string
	bin      []byte
}

func md5OfAttributeValues(attrs map[string]attributeValue) string {
	if len(attrs) == 0 {
		return ""
	}
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	sort.Strings(names) // byte order of the UTF-8 names
	var buf []byte
	for _, name := range names {
		a := attrs[name]
		buf = lengthPrefixed(buf, []byte(name))
		buf = lengthPrefixed(buf, []byte(a.dataType))
		if strings.HasPrefix(a.dataType, "Binary") {
			buf = append(buf, 2)
			buf = lengthPrefixed(buf, a.bin)
		} else {
			buf = append(buf, 1)
			s := ""
			if a.str != nil {
				s = *a.str
			}
			buf = lengthPrefixed(buf, []byte(s))
		}
	}
	sum := md5.Sum(buf)
	return hex.EncodeToString(sum[:])
}

// md5OfMessageAttributes is "" for no attributes (AWS then omits the digest).
func md5OfMessageAttributes(attrs map[string]*sqs.MessageAttributeValue) string {
	values := map[string]attributeValue{}
	for name, a := range attrs {
		values[name] = attributeValue{dataType: *a.DataType, str: a.StringValue, bin: a.BinaryValue}
	}
	return md5OfAttributeValues(values)
}

func md5OfSystemAttributes(attrs map[string]*sqs.MessageSystemAttributeValue) string {
	values := map[string]attributeValue{}
	for name, a := range attrs {
		values[name] = attributeValue{dataType: *a.DataType, str: a.StringValue, bin: a.BinaryValue}
	}
	return md5OfAttributeValues(values)
}
