{
  "targets": [
    {
      "target_name": "noexec",
      "sources": ["noexec.c"],
      "cflags": ["-O2", "-Wall"]
    }
  ]
}
