# Script mode: writes OUTPUT, a man page whose body is BINARY --help, so the
# page and the flags cannot disagree.
execute_process(COMMAND ${BINARY} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${BINARY} --help failed")
endif()
string(REPLACE "\\" "\\\\" help "${help}")
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
string(TIMESTAMP year "%Y")
file(WRITE ${OUTPUT} ".TH SHOAL 1 \"${year}\" \"shoal ${VERSION}\" \"User Commands\"
.SH NAME
shoal \\- local emulator of Amazon SQS and Amazon Kinesis Data Streams
.SH SYNOPSIS
.B shoal
[\\fIoptions\\fR]
.SH DESCRIPTION
.nf
${help}.fi
.SH FILES
.TP
.I /etc/default/shoal
SHOAL_* settings read by the systemd unit shoal.service (installed, not enabled).
.TP
.I /usr/share/doc/shoal/examples/shoal-config.yaml
An example start-up configuration (--config).
")
