# SPDX-License-Identifier: BSD-3-Clause
app-srcs-y := main.c
# make run: http://localhost:8080/ reaches port 80 of the image, and with
# HTTPS https://localhost:8443/ its port 443.
app-hostfwd := tcp:127.0.0.1:8080-:80 \
	$(if $(CONFIG_LIB_HTTPD_TLS),tcp:127.0.0.1:8443-:443)
