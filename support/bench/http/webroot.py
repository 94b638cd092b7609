# SPDX-License-Identifier: BSD-3-Clause
"""The Linux guest's web files for make bench-http: a second cpio archive
appended to the guest's initramfs (support/bench/linux_guest.py; the
kernel unpacks archives one after the other into the same root).

It holds /www/bench.html (a copy of apps/httpd/rootfs/www/bench.html,
the page Cairn serves) for busybox httpd and, for each server of SERVERS
asked for, that server from Debian's packages with what it needs to run
from the initramfs:

  the executable, /lib64/ld-linux-x86-64.so.2 and the libraries it (and
      its modules) name (DT_NEEDED, followed recursively) in
      /lib/x86_64-linux-gnu/, from the packages in its list, fetched with
      `apt-get download` into the linux-guest cache and unpacked there
      with `dpkg-deb -x` (nothing is installed on the host)
  its configuration (below): one worker process, no access log, keep-alive
      without a request limit, temporary files in /tmp
  /etc/passwd, /etc/group  root and nobody: nginx looks up its user
  /etc/tls/cert.pem, key.pem  for make bench-https only (archive's tls):
      Cairn's certificate and key, served by nginx over TLS on port 8443

A server whose packages cannot be had is left out with a note; the others
still run. Standard library, binutils' objdump, dpkg-deb and apt-get.
"""
import os
import re
import shutil
import subprocess

from support.bench import linux_guest as lg

HERE = os.path.dirname(os.path.abspath(__file__))
SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
PAGE = os.path.join(SRCTREE, "apps", "httpd", "rootfs", "www", "bench.html")
LIBC = ["libc6", "libcrypt1", "libpcre2-8-0"]
LIBDIRS = ("lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu", "lib64",
           "lib", "usr/lib")
LOADER = "ld-linux-x86-64.so.2"

# keepalive_requests: nginx's default (1000) would make wrk reconnect
# every 1000 requests; Cairn's httpd has no such limit.
NGINX_CONF = """\
# /etc/nginx/nginx.conf of the benchmark guest (support/bench/http/webroot.py)
user root;
worker_processes 1;
daemon off;
pid /tmp/nginx.pid;
error_log /tmp/nginx-error.log;
events {
    worker_connections 1024;
}
http {
    types { text/html html; text/css css; }
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    keepalive_timeout 65;
    keepalive_requests 100000000;
    client_body_temp_path /tmp/nginx-body;
    proxy_temp_path /tmp/nginx-proxy;
    fastcgi_temp_path /tmp/nginx-fastcgi;
    uwsgi_temp_path /tmp/nginx-uwsgi;
    scgi_temp_path /tmp/nginx-scgi;
    server {
        listen 8080;
        root /www;
    }
}
"""

# make bench-https (support/bench/https): the same site over TLS on port
# 8443 with Cairn's certificate and key, added to the http block. OpenSSL's
# and nginx's defaults otherwise (TLS 1.2 and 1.3, session tickets on).
NGINX_TLS = """\
    server {
        listen 8443 ssl;
        root /www;
        ssl_certificate /etc/tls/cert.pem;
        ssl_certificate_key /etc/tls/key.pem;
    }
}
"""

# The same for lighttpd: its default of 1000 requests a connection
# lifted; mod_staticfile and mod_indexfile are built in.
LIGHTTPD_CONF = """\
# /etc/lighttpd/lighttpd.conf of the benchmark guest (webroot.py)
server.document-root = "/www"
server.port = 8081
server.errorlog = "/tmp/lighttpd-error.log"
server.max-keep-alive-requests = 100000000
server.max-keep-alive-idle = 65
server.max-worker = 0
mimetype.assign = (".html" => "text/html", ".css" => "text/css")
"""

# name: packages (beyond LIBC), executable, files to include as they are
# (modules: their libraries follow too), configuration path and text
SERVERS = {
    "nginx": (["nginx", "libssl3", "zlib1g"], "usr/sbin/nginx", [],
              "etc/nginx/nginx.conf", NGINX_CONF),
    "lighttpd": (["lighttpd", "libnettle8", "libxxhash0"],
                 "usr/sbin/lighttpd", ["usr/lib/lighttpd/mod_dirlisting.so"],
                 "etc/lighttpd/lighttpd.conf", LIGHTTPD_CONF),
}


class Fail(Exception):
    pass


def unpacked(b, cache, packages):
    """{package: (version, unpacked root)} of packages."""
    recs = b.show_or_update(packages)
    out = {}
    for p in packages:
        r = recs[p]
        info = {"package": p, "version": r["Version"],
                "sha256": r.get("SHA256", ""),
                "size": int(r.get("Size", "0") or 0)}
        entry = os.path.join(cache, "%s_%s" % (
            p, info["version"].replace(":", "%3a")))
        root = os.path.join(entry, "root")
        if not os.path.isdir(root):
            os.makedirs(entry, exist_ok=True)
            deb = b.fetch_deb(entry, info)
            tmp = root + ".tmp"
            shutil.rmtree(tmp, ignore_errors=True)
            rc, _, err = b.run(["dpkg-deb", "-x", deb, tmp])
            if rc:
                raise Fail("dpkg-deb -x %s failed: %s" % (deb, err.strip()))
            os.replace(tmp, root)
        out[p] = (info["version"], root)
    return out


def resolve_in(root, rel):
    """Follows symlinks of root/rel inside root; the real file's path."""
    path = os.path.join(root, rel)
    for _ in range(20):
        if not os.path.islink(path):
            return path if os.path.isfile(path) else None
        target = os.readlink(path)
        if target.startswith("/"):
            path = os.path.join(root, target.lstrip("/"))
        else:
            path = os.path.normpath(os.path.join(os.path.dirname(path),
                                                 target))
    return None


def needed(path):
    p = subprocess.run(["objdump", "-p", path], capture_output=True,
                       text=True)
    if p.returncode:
        raise Fail("objdump -p %s failed: %s" % (path, p.stderr.strip()))
    return re.findall(r"^\s+NEEDED\s+(\S+)$", p.stdout, re.M)


def find_lib(roots, name):
    for root in roots:
        for d in LIBDIRS:
            f = resolve_in(root, os.path.join(d, name))
            if f:
                return f
    return None


def server_files(roots, exe_path, others):
    """{path in the guest: host file} for a server and its libraries."""
    exe = None
    for root in roots:
        exe = exe or resolve_in(root, exe_path)
    if not exe:
        raise Fail("no %s in the packages" % exe_path)
    files = {exe_path: exe}
    loader = find_lib(roots, LOADER)
    if not loader:
        raise Fail("no %s in the libc6 package" % LOADER)
    files["lib64/" + LOADER] = loader
    todo, seen = needed(exe), set()
    for o in others:
        f = None
        for root in roots:
            f = f or resolve_in(root, o)
        if not f:
            raise Fail("no %s in the packages" % o)
        files[o] = f
        todo += needed(f)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        lib = find_lib(roots, name)
        if not lib:
            raise Fail("%s needs %s, which none of its packages has"
                       % (exe_path, name))
        files["lib/x86_64-linux-gnu/" + name] = lib
        todo += needed(lib)
    return files


def add_server(c, name, dirs, tls=False):
    """Puts server name into the cpio c; its package's version. tls:
    nginx also serves HTTPS (NGINX_TLS)."""
    pkgs, exe, others, conf_path, conf = SERVERS[name]
    if tls and name == "nginx":
        conf = conf[:conf.rindex("}")] + NGINX_TLS
    cache = lg.cache_dir()
    with lg.Lock(cache):
        pk = unpacked(lg, cache, LIBC + pkgs)
    files = server_files([root for _, root in pk.values()], exe, others)
    for dest in sorted(files):
        d = os.path.dirname(dest)
        parts = d.split("/")
        for i in range(1, len(parts) + 1):
            sub = "/".join(parts[:i])
            if sub not in dirs:
                dirs.add(sub)
                c.dir(sub)
        with open(files[dest], "rb") as f:
            c.file(dest, f.read(), 0o755)
    d = os.path.dirname(conf_path)
    if d not in dirs:
        dirs.add(d)
        c.dir(d)
    c.file(conf_path, conf.encode(), 0o644)
    return pk[pkgs[0]][0]


def archive(out, servers, tls=None):
    """Writes out/web.cpio with the page and servers (names of SERVERS);
    returns (path, {server: version}, notes on servers left out). tls:
    (certificate, key) PEM files packed as /etc/tls/{cert,key}.pem, and
    nginx serves HTTPS with them on port 8443."""
    c = lg.Cpio()
    dirs = {"etc", "www"} | ({"etc/tls"} if tls else set())
    for d in sorted(dirs):
        c.dir(d)
    for src, dest in zip(tls or (), ("cert.pem", "key.pem")):
        with open(src, "rb") as f:
            c.file("etc/tls/" + dest, f.read(), 0o600)
    with open(PAGE, "rb") as f:
        c.file("www/bench.html", f.read(), 0o644)
    c.file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n"
           b"nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n", 0o644)
    c.file("etc/group", b"root:x:0:\nnogroup:x:65534:\n", 0o644)
    versions, notes = {}, []
    for name in servers:
        try:
            versions[name] = add_server(c, name, dirs, bool(tls))
        except (Fail, lg.Fail) as e:
            notes.append("%s left out: %s" % (name, e))
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "web.cpio")
    lg.write_if_changed(path, c.finish())
    return path, versions, notes


def combined_initrd(guest_initrd, web, out):
    """The guest's initramfs followed by the web archive."""
    with open(guest_initrd, "rb") as f:
        data = f.read()
    with open(web, "rb") as f:
        data += f.read()
    path = os.path.join(out, "initrd-web.cpio")
    lg.write_if_changed(path, data)
    return path
