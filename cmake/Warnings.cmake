# Compiler flags shared by every target of the project.
add_library(qa_warnings INTERFACE)
target_compile_options(qa_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wdouble-promotion -Wformat=2
  -Wimplicit-fallthrough -Wcast-qual -Wmissing-declarations)
if(QA_WERROR)
  target_compile_options(qa_warnings INTERFACE -Werror)
endif()

if(QA_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
