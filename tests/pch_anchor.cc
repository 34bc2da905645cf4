// The source file of cascade_test_pch (tests/CMakeLists.txt), which exists only to build the
// precompiled header that every test target reuses; CMake needs a target with a source for it.
