module example.com/gopsdemo

go 1.19
