# Every third-party dependency is found here once, as imported targets.
find_package(MPI REQUIRED COMPONENTS CXX)
find_package(PkgConfig REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 2.0 REQUIRED)
find_package(fmt REQUIRED)
find_package(Threads REQUIRED)
find_package(benchmark REQUIRED)  # the reduction-kernel microbenchmark
pkg_check_modules(HWLOC REQUIRED IMPORTED_TARGET hwloc)

set(ucx_found FALSE)
if(NOT LP_WITH_UCX STREQUAL "OFF")
  pkg_check_modules(UCX IMPORTED_TARGET ucx)
  set(ucx_found ${UCX_FOUND})
endif()
lp_resolve_dependency(LP_WITH_UCX ucx_found "UCX (pkg-config ucx)")

set(verbs_found FALSE)
if(NOT LP_WITH_VERBS STREQUAL "OFF")
  pkg_check_modules(IBVERBS IMPORTED_TARGET libibverbs)
  set(verbs_found ${IBVERBS_FOUND})
endif()
lp_resolve_dependency(LP_WITH_VERBS verbs_found "libibverbs (pkg-config libibverbs)")

set(LP_HAVE_UCX ${LP_WITH_UCX_ENABLED})
set(LP_HAVE_VERBS ${LP_WITH_VERBS_ENABLED})

# The OCS planner: COIN-OR CLP (linear programs) and CBC (integer programs), LEMON (graphs).
pkg_check_modules(CBC REQUIRED IMPORTED_TARGET cbc)
pkg_check_modules(CLP REQUIRED IMPORTED_TARGET clp)
# Debian's lemon.pc names /usr/lib while the library sits in the multiarch directory, and its
# CMake file names only the static archive: find the shared library and its header directly.
find_path(LEMON_INCLUDE_DIR lemon/network_simplex.h REQUIRED)
find_library(LEMON_LIBRARY NAMES lemon REQUIRED)
add_library(lp_lemon INTERFACE IMPORTED)
target_include_directories(lp_lemon SYSTEM INTERFACE ${LEMON_INCLUDE_DIR})
target_link_libraries(lp_lemon INTERFACE ${LEMON_LIBRARY})
