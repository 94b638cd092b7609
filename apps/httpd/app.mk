# SPDX-License-Identifier: BSD-3-Clause
app-srcs-y := main.c
# make run: http://localhost:8080/ reaches port 80 of the image.
app-hostfwd := tcp:127.0.0.1:8080-:80
