# Build options. Optional dependencies are AUTO/ON/OFF: AUTO uses what is found, ON fails
# configure when it is missing (naming the flag that turns it off), OFF never looks.
set(LP_WITH_UCX AUTO CACHE STRING "UCX transport backend: AUTO, ON or OFF")
set_property(CACHE LP_WITH_UCX PROPERTY STRINGS AUTO ON OFF)
set(LP_WITH_VERBS AUTO CACHE STRING "libibverbs transport backend: AUTO, ON or OFF")
set_property(CACHE LP_WITH_VERBS PROPERTY STRINGS AUTO ON OFF)
set(LP_SANITIZE "" CACHE STRING "Sanitizers to build with, e.g. address,undefined or thread")

# lp_resolve_dependency(<flag> <found-var> <what>) sets <flag>_ENABLED to 1 or 0.
function(lp_resolve_dependency flag found what)
  set(value ${${flag}})
  if(NOT value MATCHES "^(AUTO|ON|OFF)$")
    message(FATAL_ERROR "${flag}=${value}: expected AUTO, ON or OFF")
  endif()
  if(value STREQUAL "OFF")
    set(${flag}_ENABLED 0 PARENT_SCOPE)
  elseif(${found})
    set(${flag}_ENABLED 1 PARENT_SCOPE)
    message(STATUS "lightpath: ${what} found, backend enabled (${flag}=${value})")
  elseif(value STREQUAL "ON")
    message(FATAL_ERROR "${flag}=ON but ${what} was not found. Install it (scripts/setup.sh) "
                        "or configure with -D${flag}=OFF.")
  else()
    set(${flag}_ENABLED 0 PARENT_SCOPE)
    message(STATUS "lightpath: ${what} not found, backend disabled (${flag}=AUTO)")
  endif()
endfunction()
