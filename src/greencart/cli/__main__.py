from greencart.cli.main import main

main()
