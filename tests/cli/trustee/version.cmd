trustee --version
