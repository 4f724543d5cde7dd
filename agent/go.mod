// SPDX-License-Identifier: MIT

module example.com/gopsbpf/agent

go 1.19
