# Writes OUTPUT, a C++ source holding INPUT's text, so that the JSON codec parses the very schema
# the binary was generated from. Run with: cmake -DINPUT=... -DOUTPUT=... -P embed_schema.cmake
file(READ "${INPUT}" schema_text)
string(FIND "${schema_text}" ")cascade_fbs\"" delimiter_in_text)
if(NOT delimiter_in_text EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )cascade_fbs\"")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by embed_schema.cmake; do not edit.\n"
  "#include <string_view>\n\n"
  "namespace cascade::wire::internal {\n"
  "extern const std::string_view kSchemaText;\n"
  "const std::string_view kSchemaText = R\"cascade_fbs(${schema_text})cascade_fbs\";\n"
  "}  // namespace cascade::wire::internal\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
