# The test suite, all of it run by ctest so that CI reads one summary.
# Specs that talk to MAST run through sandbox/with-sandbox, which starts the
# local MAST-compatible server on 127.0.0.1 and stops it afterwards.
find_program(MAST_BUSTED busted REQUIRED)
find_program(MAST_LUA54 lua5.4 REQUIRED)
find_program(MAST_PYTHON3 python3 REQUIRED)

set(MAST_SANDBOX ${CMAKE_CURRENT_SOURCE_DIR}/sandbox/with-sandbox)
set(MAST_SPEC_ENV
  MAST_BIN=$<TARGET_FILE:mast>
  MAST_SOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}
  MAST_BUILD_DIR=${CMAKE_CURRENT_BINARY_DIR}
  MAST_PROGRESS=off
  # specs never touch the user's cache (with-sandbox gives its runs a cache of their own too)
  MAST_CACHE_DIR=${CMAKE_CURRENT_BINARY_DIR}/spec-cache)
if(MAST_SANITIZE)
  # suppressions: fontconfig's process-wide memory under cairo's text (spec/sanitizer/lsan.supp says why).
  # use_tls=0: gcc 12's LeakSanitizer misreads glibc 2.36's dynamic TLS of
  # dlopen'd libraries (libcurl's, OpenSSL's) and crashes at exit
  # ("Tracer caught signal 11" on a DTLS range); TLS is then not scanned.
  set(MAST_SAN_ENV "ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:check_initialization_order=1"
      "LSAN_OPTIONS=use_tls=0:print_suppressions=0:suppressions=${CMAKE_CURRENT_SOURCE_DIR}/spec/sanitizer/lsan.supp"
      "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
  list(APPEND MAST_SPEC_ENV ${MAST_SAN_ENV})
endif()
# stock lua5.4 finds the modules through its paths, as an installed copy would
set(MAST_STOCK_LUA ${CMAKE_CURRENT_SOURCE_DIR}/spec/tools/stock-lua)

# mast_spec(NAME DIR [SANDBOX] [STOCK])
function(mast_spec name dir)
  set(cmd $<TARGET_FILE:mast>)
  set(env ${MAST_SPEC_ENV})
  if("STOCK" IN_LIST ARGN)
    set(cmd ${MAST_STOCK_LUA})
  endif()
  # --cpath: this build's mast.core in the spec process too (.busted names
  # build/lua, which would make build-asan test the other build's module)
  set(cmd ${cmd} ${MAST_BUSTED} --output=TAP --cpath=${CMAKE_CURRENT_BINARY_DIR}/lua/?.so ${dir})
  if("SANDBOX" IN_LIST ARGN)
    set(cmd ${MAST_PYTHON3} ${MAST_SANDBOX} -- ${cmd})
  endif()
  add_test(NAME ${name} COMMAND ${cmd} WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}" TIMEOUT 600)
endfunction()

mast_spec(spec-unit spec/unit)
mast_spec(spec-host spec/host SANDBOX)
mast_spec(spec-integration spec/integration SANDBOX)
# (not in the sanitizer build: stock lua5.4 would need the ASan runtime
# preloaded, and every program it starts would inherit it)
if(NOT MAST_SANITIZE)
  mast_spec(spec-integration-lua5.4 spec/integration SANDBOX STOCK)
endif()

# Campaigns on a real one-node Slurm (spec/tools/slurm-cluster starts munged, slurmctld and
# slurmd and stops them by PID; the sandbox runs beside it). Skipped (77) without the
# packages or root.
add_test(NAME spec-slurm
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/spec/tools/slurm-cluster --
                 ${MAST_PYTHON3} ${MAST_SANDBOX} -- $<TARGET_FILE:mast> ${MAST_BUSTED} --output=TAP
                 --cpath=${CMAKE_CURRENT_BINARY_DIR}/lua/?.so spec/slurm
         WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(spec-slurm PROPERTIES ENVIRONMENT "${MAST_SPEC_ENV}" TIMEOUT 600 SKIP_RETURN_CODE 77)

# Real network faults (iptables rules, a tc qdisc) on the loopback of a network namespace of
# the test's own (spec/tools/netns-run; the sandbox starts inside it). Skipped (77) without
# iptables/iproute2, root or the kernel's matches.
add_test(NAME spec-netfault
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/spec/tools/netns-run --
                 ${MAST_PYTHON3} ${MAST_SANDBOX} -- $<TARGET_FILE:mast> ${MAST_BUSTED} --output=TAP
                 --cpath=${CMAKE_CURRENT_BINARY_DIR}/lua/?.so spec/netfault
         WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(spec-netfault PROPERTIES ENVIRONMENT "${MAST_SPEC_ENV}" TIMEOUT 300 SKIP_RETURN_CODE 77)

# Lua style: luacheck over the modules, the specs and the scripts
find_program(MAST_LUACHECK luacheck)
if(MAST_LUACHECK)
  add_test(NAME luacheck COMMAND ${MAST_LUACHECK} --no-color --formatter plain lua spec scripts
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
endif()

# C tests of the codec
add_executable(test_json spec/c/test_json.c src/bind/json.c src/core/jsonnum.c)
mast_target_setup(test_json)
target_include_directories(test_json PRIVATE src/bind)
target_link_libraries(test_json PRIVATE PkgConfig::LUA m)
add_test(NAME c-json COMMAND test_json WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(c-json PROPERTIES ENVIRONMENT "${MAST_SAN_ENV}")

# The fuzz targets of spec/fuzz without libFuzzer (spec/fuzz/replay.c): each
# replays its seed corpus and every input a fuzzer once failed on
# (spec/fuzz/regressions/<target>/), in both builds. spec/fuzz/run fuzzes.
# json_number and utf8 test the Lua-free core (src/core/jsonnum.c) alone:
# they link nothing else.
foreach(t json_decode json_roundtrip json_number utf8 request urlencode names extract votable xml csv fits)
  set(regressions spec/fuzz/regressions/${t})
  if(t MATCHES "^json_")
    set(corpus spec/fuzz/corpus/json)
    set(regressions spec/fuzz/regressions ${regressions})
  elseif(t STREQUAL "extract")
    set(corpus spec/fuzz/corpus/archive)
  elseif(t STREQUAL "utf8")
    set(corpus spec/fuzz/corpus/utf8 spec/fuzz/corpus/json)
  else()
    set(corpus spec/fuzz/corpus/${t})
  endif()
  if(t STREQUAL "json_number" OR t STREQUAL "utf8")
    add_executable(replay_${t} spec/fuzz/replay.c spec/fuzz/fuzz_${t}.c src/core/jsonnum.c)
    mast_target_setup(replay_${t})
    target_include_directories(replay_${t} PRIVATE src/core)
    target_link_libraries(replay_${t} PRIVATE m)
  else()
    add_executable(replay_${t} spec/fuzz/replay.c spec/fuzz/fuzz_${t}.c)
    mast_target_setup(replay_${t})
    target_include_directories(replay_${t} PRIVATE src/core src/bind)
    target_compile_definitions(replay_${t} PRIVATE MAST_FUZZ_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}")
    target_link_libraries(replay_${t} PRIVATE mast_static PkgConfig::LUA PkgConfig::CURL
                          PkgConfig::ARCHIVE PkgConfig::EXPAT PkgConfig::CFITSIO Threads::Threads m)
  endif()
  add_test(NAME fuzz-replay-${t} COMMAND replay_${t} ${corpus} ${regressions}
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(fuzz-replay-${t} PROPERTIES TIMEOUT 300 ENVIRONMENT "${MAST_SAN_ENV}")
endforeach()

# The embedding API (mast_runtime), against the sandbox
add_executable(test_embed spec/c/test_embed.c)
mast_target_setup(test_embed)
target_link_libraries(test_embed PRIVATE mast_static PkgConfig::CURL PkgConfig::ARCHIVE PkgConfig::EXPAT PkgConfig::CFITSIO Threads::Threads m)
add_test(NAME c-embed COMMAND ${MAST_PYTHON3} ${MAST_SANDBOX} -- $<TARGET_FILE:test_embed>)
set_tests_properties(c-embed PROPERTIES TIMEOUT 300 ENVIRONMENT "${MAST_SAN_ENV}")

# Datasets handed to C (mast_dataset_*), against the sandbox
add_executable(test_dataset spec/c/test_dataset.c)
mast_target_setup(test_dataset)
target_link_libraries(test_dataset PRIVATE mast_static PkgConfig::CURL PkgConfig::ARCHIVE PkgConfig::EXPAT Threads::Threads m)
add_test(NAME c-dataset COMMAND ${MAST_PYTHON3} ${MAST_SANDBOX} -- $<TARGET_FILE:test_dataset>)
set_tests_properties(c-dataset PROPERTIES TIMEOUT 300 ENVIRONMENT "${MAST_SAN_ENV}")

# The disk cache under a host's policy (download root, no environment)
add_executable(test_cache spec/c/test_cache.c)
mast_target_setup(test_cache)
target_link_libraries(test_cache PRIVATE mast_static PkgConfig::CURL PkgConfig::ARCHIVE PkgConfig::EXPAT PkgConfig::CFITSIO Threads::Threads m)
add_test(NAME c-cache COMMAND $<TARGET_FILE:test_cache>)
set_tests_properties(c-cache PROPERTIES TIMEOUT 120 ENVIRONMENT "${MAST_SAN_ENV}")

# Allocation failure, swept over N for a query and a download (both builds;
# the sanitizer build's LeakSanitizer also watches the error paths)
add_executable(test_alloc spec/c/test_alloc.c)
mast_target_setup(test_alloc)
target_link_libraries(test_alloc PRIVATE mast_static PkgConfig::CURL PkgConfig::ARCHIVE PkgConfig::EXPAT PkgConfig::CFITSIO Threads::Threads m)
add_test(NAME c-alloc COMMAND ${MAST_PYTHON3} ${MAST_SANDBOX} -- $<TARGET_FILE:test_alloc>)
set_tests_properties(c-alloc PROPERTIES TIMEOUT 900 ENVIRONMENT "${MAST_SAN_ENV}")

# The token never reaches the host through a log message, a progress event,
# an error or a result, even when the server echoes it
add_executable(test_token spec/c/test_token.c)
mast_target_setup(test_token)
target_link_libraries(test_token PRIVATE mast_static PkgConfig::CURL PkgConfig::ARCHIVE PkgConfig::EXPAT PkgConfig::CFITSIO Threads::Threads m)
set(MAST_TEST_TOKEN c0ffee5ecret7a1b2c3d4e5f60718293a4b5c6d7)
add_test(NAME c-token COMMAND ${MAST_PYTHON3} ${MAST_SANDBOX} --token ${MAST_TEST_TOKEN} --
         $<TARGET_FILE:test_token>)
set_tests_properties(c-token PROPERTIES TIMEOUT 300
                     ENVIRONMENT "MAST_TEST_TOKEN=${MAST_TEST_TOKEN};${MAST_SAN_ENV}")

# What a request can say through the C API: struct_size, headers, auth
# policies, the chunk sink, http(s) only, facts in messages
add_executable(test_request spec/c/test_request.c)
mast_target_setup(test_request)
target_link_libraries(test_request PRIVATE mast_static PkgConfig::CURL PkgConfig::ARCHIVE PkgConfig::EXPAT PkgConfig::CFITSIO Threads::Threads m)
add_test(NAME c-request COMMAND ${MAST_PYTHON3} ${MAST_SANDBOX} -- $<TARGET_FILE:test_request>)
set_tests_properties(c-request PROPERTIES TIMEOUT 300 ENVIRONMENT "${MAST_SAN_ENV}")

# The same, with four threads (a state each) querying at once, built with
# ThreadSanitizer from the library's sources (not with the ASan build).
if(NOT MAST_SANITIZE)
  add_executable(test_embed_tsan spec/c/test_embed.c ${MAST_CORE_SOURCES} ${MAST_BIND_SOURCES}
                 ${MAST_PLOT_SOURCES} ${MAST_FITS_SOURCES}
    ${MAST_RUNTIME_SOURCES} src/host/openlibs.c src/host/embed.c)
  target_compile_options(test_embed_tsan PRIVATE ${MAST_WARNINGS} -fsanitize=thread -g -O1)
  target_compile_definitions(test_embed_tsan PRIVATE MAST_BUILDING)
  target_include_directories(test_embed_tsan PRIVATE src/include src/host)
  target_link_options(test_embed_tsan PRIVATE -fsanitize=thread)
  target_link_libraries(test_embed_tsan PRIVATE PkgConfig::LUA PkgConfig::CURL PkgConfig::ARCHIVE PkgConfig::EXPAT PkgConfig::CAIRO PkgConfig::CFITSIO
                        Threads::Threads m)
  add_test(NAME c-embed-threads-tsan
           COMMAND ${MAST_PYTHON3} ${MAST_SANDBOX} -- $<TARGET_FILE:test_embed_tsan> threads)
  set_tests_properties(c-embed-threads-tsan PROPERTIES TIMEOUT 300
                       ENVIRONMENT "TSAN_OPTIONS=halt_on_error=1 second_deadlock_stack=1")
endif()

# valgrind memcheck of the mast program: an example script, a workout of the
# error paths, and a REPL session through a pseudo-terminal (normal build
# only: ASan and valgrind do not mix). spec/valgrind/README.md.
find_program(MAST_VALGRIND valgrind)
if(MAST_VALGRIND AND NOT MAST_SANITIZE)
  set(MAST_VG ${MAST_VALGRIND} --quiet --error-exitcode=99 --leak-check=full
      --errors-for-leak-kinds=definite
      --suppressions=${CMAKE_CURRENT_SOURCE_DIR}/spec/valgrind/mast.supp)
  add_test(NAME valgrind-example COMMAND ${MAST_PYTHON3} ${MAST_SANDBOX} -- ${MAST_VG}
           $<TARGET_FILE:mast> scripts/examples/caom_cone_search.lua
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  add_test(NAME valgrind-workout COMMAND ${MAST_PYTHON3} ${MAST_SANDBOX} -- ${MAST_VG}
           $<TARGET_FILE:mast> spec/valgrind/workout.lua
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  add_test(NAME valgrind-repl COMMAND ${MAST_PYTHON3} ${MAST_SANDBOX} -- ${MAST_PYTHON3}
           spec/tools/pty_session.py spec/valgrind/repl-session.json -- ${MAST_VG}
           $<TARGET_FILE:mast>
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(valgrind-example valgrind-workout valgrind-repl PROPERTIES TIMEOUT 600
                       ENVIRONMENT "MAST_PROGRESS=auto")
endif()

# What users install: cmake --install, the example C host (find_package and
# pkg-config), stock lua5.4 and the installed program (not in the sanitizer
# build, whose libraries only sanitized programs can load)
if(NOT MAST_SANITIZE)
  add_test(NAME install COMMAND ${MAST_PYTHON3} ${MAST_SANDBOX} --
           ${CMAKE_CURRENT_SOURCE_DIR}/spec/tools/test-install ${CMAKE_CURRENT_SOURCE_DIR}
           ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(install PROPERTIES TIMEOUT 300)
endif()

# The sandbox's own tests (stdlib unittest): every endpoint, fixture and fault
add_test(NAME sandbox-python COMMAND ${MAST_PYTHON3} -m unittest discover -s sandbox/tests
         WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(sandbox-python PROPERTIES TIMEOUT 600)

# The Debian packages (cmake/packaging.cmake): built from a fresh /usr build,
# installed by apt into a clean Debian root made by mmdebstrap, an example
# script (mast and stock lua5.4) and the example C host run there against the
# sandbox, then purged without a trace. Needs root and deb.debian.org; skipped
# (77) without root or mmdebstrap. spec/tools/test-deb.
if(NOT MAST_SANITIZE)
  add_test(NAME deb COMMAND ${MAST_PYTHON3} ${MAST_SANDBOX} --
           ${CMAKE_CURRENT_SOURCE_DIR}/spec/tools/test-deb ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(deb PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77)
endif()

# The version's one source: mast.h and the rockspec must agree with project()
add_test(NAME version-check COMMAND ${CMAKE_COMMAND} -DMAST_SOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}
         -DMAST_VERSION=${PROJECT_VERSION} -P ${CMAKE_CURRENT_SOURCE_DIR}/spec/tools/test-version.cmake)

# Through a production front: nginx (spec/tools/nginx-front: TLS with a certificate it makes,
# HTTP/2 or HTTP/1.1, gzip for JSON, keep-alive and body limits, its own error pages, an access
# log of connections) in front of the sandbox. The query, paging, download, bundle and products
# specs run through it as well as directly, with spec/front. Skipped (77) without nginx.
set(MAST_FRONT_TOOL ${CMAKE_CURRENT_SOURCE_DIR}/spec/tools/nginx-front)
set(MAST_FRONT_SPECS spec/integration/query_spec.lua spec/integration/download_spec.lua
    spec/integration/products_spec.lua spec/integration/observations_spec.lua
    spec/integration/wrappers_spec.lua spec/integration/record_spec.lua)
# mast_front_test(NAME "FRONT OPTIONS" SPEC...)
function(mast_front_test name front)
  separate_arguments(front)
  add_test(NAME ${name}
           COMMAND ${MAST_PYTHON3} ${MAST_SANDBOX} -- ${MAST_PYTHON3} ${MAST_FRONT_TOOL} ${front} --
                   $<TARGET_FILE:mast> ${MAST_BUSTED} --output=TAP
                   --cpath=${CMAKE_CURRENT_BINARY_DIR}/lua/?.so ${ARGN}
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${MAST_SPEC_ENV}" TIMEOUT 600
                       SKIP_RETURN_CODE 77)
endfunction()
mast_front_test(spec-front "--body-limit 1m" ${MAST_FRONT_SPECS} spec/front/front_spec.lua)
mast_front_test(spec-front-http1 "--http1 --body-limit 1m" spec/front/front_spec.lua)
mast_front_test(spec-front-keepalive "--keepalive-requests 2 --keepalive-timeout 1"
                spec/front/keepalive_spec.lua)
mast_front_test(spec-front-keepalive-http1 "--http1 --keepalive-requests 2 --keepalive-timeout 1"
                spec/front/keepalive_spec.lua)
# 25 s of scripts/soak --faults (its own sandbox and nginx): every download verified, nothing
# failed, open fds and RSS flat. Pending without nginx.
add_test(NAME spec-soak-faults
         COMMAND $<TARGET_FILE:mast> ${MAST_BUSTED} --output=TAP
                 --cpath=${CMAKE_CURRENT_BINARY_DIR}/lua/?.so spec/front/soak_faults_spec.lua
         WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(spec-soak-faults PROPERTIES ENVIRONMENT "${MAST_SPEC_ENV}" TIMEOUT 300)
