{
  "targets": [
    {
      "target_name": "strata_deflate",
      "sources": ["strata_deflate.c"],
      "include_dirs": ["/usr/include/isa-l"],
      "libraries": ["-lisal"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
