# Writes OUTPUT, a C++ source defining cascade::gateway::internal::kConfigSchemaText with INPUT's
# text, so that the config parser reads the very schema the C++ accessors were generated from.
# Run with: cmake -DINPUT=... -DOUTPUT=... -P embed_text.cmake
file(READ "${INPUT}" text)
string(FIND "${text}" ")cascade_fbs\"" delimiter_in_text)
if(NOT delimiter_in_text EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )cascade_fbs\"")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by embed_text.cmake; do not edit.\n"
  "#include <string_view>\n\n"
  "namespace cascade::gateway::internal {\n"
  "extern const std::string_view kConfigSchemaText;\n"
  "const std::string_view kConfigSchemaText = R\"cascade_fbs(${text})cascade_fbs\";\n"
  "}  // namespace cascade::gateway::internal\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
