# Debian packages from this build: configure with -DCMAKE_INSTALL_PREFIX=/usr,
# build, then `cpack -G DEB` in the build directory. One package per install
# component (CMakeLists.txt names them):
#   program  -> mast          the mast program (its man page too: rules without
#                             a component are the program's)
#   library  -> libmast<SOVERSION>   libmast.so.<SOVERSION>, for C hosts
#   dev      -> libmast-dev   headers, libmast.so, libmast.a, mast.pc, the CMake package
#   lua      -> lua-mast      mast/core.so and the Lua modules, for Debian's lua5.4
# The version is project(VERSION); dependencies on Debian's libraries come from
# dpkg-shlibdeps, and the development package's from the .pc files mast.pc requires.
include(${CMAKE_CURRENT_LIST_DIR}/check-version.cmake)
mast_check_version(${PROJECT_VERSION} ${PROJECT_SOURCE_DIR})

if(MAST_MODULE_ONLY)
  return()   # LuaRocks packages the module itself
endif()

set(MAST_DEB_RELEASE 1 CACHE STRING "Debian revision of the packages (the part after the version)")
set(MAST_DEB_MAINTAINER "mast developers <mast@localhost>" CACHE STRING "Maintainer field of the packages")
set(MAST_LIB_PACKAGE libmast${PROJECT_VERSION_MAJOR})
set(MAST_DEB_VERSION ${PROJECT_VERSION}-${MAST_DEB_RELEASE})

# The Debian packages that hold the pkg-config modules mast.pc requires
# (Requires and Requires.private, which pkg-config and mastConfig.cmake look
# up): what libmast-dev must pull in so that its users can build.
function(mast_deb_dev_depends out)
  set(result "")
  find_program(MAST_DPKG_QUERY dpkg-query)
  file(STRINGS ${CMAKE_CURRENT_BINARY_DIR}/mast.pc reqs REGEX "^Requires(\\.private)?:")
  foreach(line IN LISTS reqs)
    string(REGEX REPLACE "^Requires(\\.private)?: *" "" line "${line}")
    # "a >= 1, b" -> a;b
    string(REGEX REPLACE "[<>=!]+ *[^ ,]+" "" line "${line}")
    string(REGEX REPLACE "[ ,]+" ";" modules "${line}")
    foreach(m IN LISTS modules)
      if(m STREQUAL "")
        continue()
      endif()
      pkg_get_variable(dir ${m} pcfiledir)
      set(pkg "")
      if(MAST_DPKG_QUERY AND dir)
        execute_process(COMMAND ${MAST_DPKG_QUERY} -S ${dir}/${m}.pc OUTPUT_VARIABLE owner
                        ERROR_QUIET RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
        if(rc EQUAL 0 AND owner MATCHES "^([^:,]+)[:,]")
          set(pkg ${CMAKE_MATCH_1})
        endif()
      endif()
      if(pkg STREQUAL "")
        message(STATUS "packaging: no Debian package owns ${m}.pc; libmast-dev will not depend on it")
      else()
        list(APPEND result ${pkg})
      endif()
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES result)
  list(JOIN result ", " result)
  set(${out} "${result}" PARENT_SCOPE)
endfunction()
mast_deb_dev_depends(MAST_DEV_DEPENDS)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mast)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# CPack puts the summary before every package's description unless it is its
# own default: so each package's first description line is its own synopsis
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGE_CONTACT "${MAST_DEB_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/packages)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL program library dev lua)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)   # name_version_arch.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE ${MAST_DEB_RELEASE})
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://mast.stsci.edu")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# the program and the shared objects stripped, as Debian's policy wants (the
# static library keeps its symbols: install/strip leaves archives alone); no
# -dbgsym packages
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PROGRAM_PACKAGE_NAME mast)
set(CPACK_DEBIAN_PROGRAM_PACKAGE_SECTION science)
# the program has its Lua modules compiled in, but loads mast/core.so from lua-mast
set(CPACK_DEBIAN_PROGRAM_PACKAGE_DEPENDS "lua-mast (= ${MAST_DEB_VERSION})")
set(CPACK_DEBIAN_PROGRAM_DESCRIPTION
  "Lua runtime for the MAST archive (program)\nRuns Lua scripts (and a REPL) that query, page and download from the\nMikulski Archive for Space Telescopes.")

set(CPACK_DEBIAN_LIBRARY_PACKAGE_NAME ${MAST_LIB_PACKAGE})
set(CPACK_DEBIAN_LIBRARY_PACKAGE_SECTION libs)
# DEBIAN/shlibs for the package with a SONAME (libmast0): "libmast 0 libmast0 (>= version)"
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_LIBRARY_DESCRIPTION
  "Lua runtime for the MAST archive (shared library)\nlibmast embeds mast (Lua 5.4 with the mast modules) in C programs.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libmast-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(MAST_DEV_DEPS "${MAST_LIB_PACKAGE} (= ${MAST_DEB_VERSION})")
if(MAST_DEV_DEPENDS)
  string(APPEND MAST_DEV_DEPS ", ${MAST_DEV_DEPENDS}")
endif()
# mastConfig.cmake finds the dependencies through pkg-config
string(APPEND MAST_DEV_DEPS ", pkgconf | pkg-config")
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${MAST_DEV_DEPS}")
set(CPACK_DEBIAN_DEV_DESCRIPTION
  "Lua runtime for the MAST archive (development files)\nHeaders (mast.h, mast_lua.h), the static library, pkg-config's mast.pc and\nthe CMake package (find_package(mast): mast::mast, mast::mast_static).")

set(CPACK_DEBIAN_LUA_PACKAGE_NAME lua-mast)
set(CPACK_DEBIAN_LUA_PACKAGE_SECTION interpreters)
# as Debian's own Lua modules do: no dependency on an interpreter, a virtual
# package per Lua version (its description names no quotes: CPack writes them
# into CPackConfig.cmake unescaped)
set(CPACK_DEBIAN_LUA_PACKAGE_PROVIDES "lua5.4-mast")
# What is dlopened at its first use (CMakeLists.txt: libarchive at the first
# extraction, libcurl at the first transfer) dpkg-shlibdeps cannot see: the
# packages that hold those SONAMEs, by hand. lua-mast's core.so dlopens both;
# libmast links libarchive and dlopens libcurl.
find_program(MAST_DPKG_QUERY dpkg-query)
# mast_deb_owner(VAR LIBFILE SONAME): VAR = the Debian package that holds SONAME
# beside LIBFILE (unset when none does, e.g. off Debian)
function(mast_deb_owner var lib soname)
  get_filename_component(dir ${lib} DIRECTORY)
  unset(${var} PARENT_SCOPE)
  if(MAST_DPKG_QUERY)
    execute_process(COMMAND ${MAST_DPKG_QUERY} -S ${dir}/${soname}
                    OUTPUT_VARIABLE owner ERROR_QUIET RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(rc EQUAL 0 AND owner MATCHES "^([^:,]+)[:,]")
      set(${var} ${CMAKE_MATCH_1} PARENT_SCOPE)
      return()
    endif()
  endif()
  message(STATUS "packaging: no Debian package owns ${soname}; the packages that dlopen it will not depend on it")
endfunction()
mast_deb_owner(MAST_ARCHIVE_PACKAGE ${ARCHIVE_LINK_LIBRARIES} ${MAST_LIBARCHIVE_SONAME})
mast_deb_owner(MAST_CURL_PACKAGE ${CURL_LINK_LIBRARIES} ${MAST_LIBCURL_SONAME})
set(deps ${MAST_ARCHIVE_PACKAGE} ${MAST_CURL_PACKAGE})
string(REPLACE ";" ", " CPACK_DEBIAN_LUA_PACKAGE_DEPENDS "${deps}")
if(MAST_CURL_PACKAGE)
  set(CPACK_DEBIAN_LIBRARY_PACKAGE_DEPENDS ${MAST_CURL_PACKAGE})
endif()
set(CPACK_DEBIAN_LUA_DESCRIPTION
  "Lua runtime for the MAST archive (Lua 5.4 module)\nThe mast module for Debian's lua5.4: queries, paging, downloads and bundles\nfor the Mikulski Archive for Space Telescopes, on libcurl.")

include(CPack)
