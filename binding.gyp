{
  "targets": [
    {
      "target_name": "mallinfo",
      "sources": [
        "native/binding.cc",
        "native/allocator.cc",
        "native/glibc.cc",
        "native/jemalloc.cc",
        "native/jemalloc-prof.cc",
        "native/tcmalloc.cc",
        "native/procfs.cc",
        "native/sample_buffer.cc",
        "native/symbols.cc",
        "native/trim_worker.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"
      ],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-fvisibility=hidden"],
      "libraries": ["-ldl"]
    }
  ]
}
