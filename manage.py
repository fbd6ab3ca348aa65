#!/usr/bin/env python
from mutualis.cli import main

if __name__ == "__main__":
    main()
