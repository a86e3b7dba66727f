from stdplus.cli import main

main()
