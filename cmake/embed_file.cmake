# embed_file(INPUT OUTPUT SYMBOL): generates OUTPUT, a C++ source defining
# `extern const std::string_view shoal::embedded::SYMBOL` with INPUT's bytes,
# so the binary carries the AWS service models and needs no files at run time.
function(embed_file input output symbol)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DSYMBOL=${symbol}
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_file_run.cmake
    DEPENDS ${input} ${CMAKE_SOURCE_DIR}/cmake/embed_file_run.cmake
    COMMENT "Embedding ${input}")
endfunction()
