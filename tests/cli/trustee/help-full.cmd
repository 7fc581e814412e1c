trustee --help
