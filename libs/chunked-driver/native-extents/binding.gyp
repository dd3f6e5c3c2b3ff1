{
  "targets": [
    {
      "target_name": "strata_extents",
      "sources": ["strata_extents.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
