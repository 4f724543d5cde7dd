// SPDX-License-Identifier: MIT

module example.com/gopsdemo

go 1.19

require example.com/gopsbpf/agent v0.0.0

replace example.com/gopsbpf/agent => ../
