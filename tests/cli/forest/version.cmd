forest --version
