# The version has one source, project(VERSION) in CMakeLists.txt; the files
# that must repeat it (mast.h's macros, which C hosts test at compile time;
# the LuaRocks rockspec, whose name LuaRocks reads) are checked against it.
# Included at configure time, and run by a test as
#   cmake -DMAST_CHECK_VERSION=x.y.z -DMAST_CHECK_DIR=<source dir> -P check-version.cmake
# Fails with a message naming the file that disagrees.
function(mast_check_version version dir)
  string(REGEX MATCH "^([0-9]+)\\.([0-9]+)\\.([0-9]+)$" ok "${version}")
  if(NOT ok)
    message(FATAL_ERROR "mast version '${version}' is not MAJOR.MINOR.PATCH")
  endif()
  set(want_major ${CMAKE_MATCH_1})
  set(want_minor ${CMAKE_MATCH_2})
  set(want_patch ${CMAKE_MATCH_3})
  set(header ${dir}/src/include/mast/mast.h)
  file(STRINGS ${header} lines REGEX "^#define MAST_VERSION_(MAJOR|MINOR|PATCH|STRING) ")
  set(got "")
  foreach(part MAJOR MINOR PATCH STRING)
    set(value "")
    foreach(line IN LISTS lines)
      if(line MATCHES "^#define MAST_VERSION_${part} +\"?([^\" ]*)\"?$")
        set(value ${CMAKE_MATCH_1})
      endif()
    endforeach()
    set(got_${part} "${value}")
  endforeach()
  if(NOT got_MAJOR STREQUAL want_major OR NOT got_MINOR STREQUAL want_minor OR
     NOT got_PATCH STREQUAL want_patch OR NOT got_STRING STREQUAL version)
    message(FATAL_ERROR "${header} says version ${got_MAJOR}.${got_MINOR}.${got_PATCH} "
            "(\"${got_STRING}\"); project(VERSION) in CMakeLists.txt says ${version}")
  endif()
  # the rockspec: only under a source tree that has one (LuaRocks copies it)
  file(GLOB rockspecs ${dir}/mast-*.rockspec)
  foreach(rs IN LISTS rockspecs)
    get_filename_component(name ${rs} NAME)
    file(STRINGS ${rs} vline REGEX "^version *= *")
    file(STRINGS ${rs} tline REGEX "^ *tag *= *")
    if(NOT name MATCHES "^mast-${version}-[0-9]+\\.rockspec$" OR
       NOT vline MATCHES "^version *= *\"${version}-[0-9]+\"" OR
       NOT tline MATCHES "\"v${version}\"")
      message(FATAL_ERROR "${rs}: its name, version (${vline}) and tag (${tline}) must all say "
              "${version}, the version in project(VERSION) of CMakeLists.txt")
    endif()
  endforeach()
endfunction()

if(CMAKE_SCRIPT_MODE_FILE AND DEFINED MAST_CHECK_VERSION)
  mast_check_version("${MAST_CHECK_VERSION}" "${MAST_CHECK_DIR}")
endif()
