# SPDX-License-Identifier: BSD-3-Clause
"""The Linux guest's web files for make bench-http: a second cpio archive
appended to the initramfs of support/bench/linux-guest/build.py (the
kernel unpacks archives one after the other into the same root).

It holds /www/bench.html (a copy of apps/httpd/rootfs/www/bench.html,
the page Cairn serves) for busybox httpd and, unless nginx=False, nginx
from Debian's packages with what it needs to run from the initramfs:

  /usr/sbin/nginx, /lib64/ld-linux-x86-64.so.2 and the libraries it
      names (DT_NEEDED, followed recursively) in /lib/x86_64-linux-gnu/,
      from the packages in PACKAGES, fetched with `apt-get download` into
      the linux-guest cache and unpacked there with `dpkg-deb -x`
      (nothing is installed on the host)
  /etc/nginx/nginx.conf  NGINX_CONF below: one worker process, port
      8080, no access log, temporary files and the pid in /tmp
  /etc/passwd, /etc/group  root and nobody: nginx looks up its user

Standard library, binutils' objdump; dpkg-deb and apt-get as the guest
builder uses them.
"""
import importlib.util
import os
import re
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
PAGE = os.path.join(SRCTREE, "apps", "httpd", "rootfs", "www", "bench.html")
PACKAGES = ["nginx", "libc6", "libcrypt1", "libpcre2-8-0", "libssl3",
            "zlib1g"]
LIBDIRS = ("lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu", "lib64",
           "lib", "usr/lib")
LOADER = "ld-linux-x86-64.so.2"
NGINX_PORT = 8080

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
        listen %d;
        root /www;
    }
}
""" % NGINX_PORT


class Fail(Exception):
    pass


def builder():
    """support/bench/linux-guest/build.py as a module (its cache, apt
    look-ups, downloads and cpio writer)."""
    path = os.path.join(SRCTREE, "support", "bench", "linux-guest",
                        "build.py")
    spec = importlib.util.spec_from_file_location("cairn_linux_guest", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def unpacked(b, cache):
    """{package: (version, unpacked root)} of PACKAGES."""
    recs = b.show_or_update(PACKAGES)
    out = {}
    for p in PACKAGES:
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


def nginx_files(roots):
    """{path in the guest: host file} for nginx and its libraries."""
    exe = None
    for root in roots:
        exe = exe or resolve_in(root, "usr/sbin/nginx")
    if not exe:
        raise Fail("the nginx package has no usr/sbin/nginx")
    files = {"usr/sbin/nginx": exe}
    loader = find_lib(roots, LOADER)
    if not loader:
        raise Fail("no %s in the libc6 package" % LOADER)
    files["lib64/" + LOADER] = loader
    todo, seen = needed(exe), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        lib = find_lib(roots, name)
        if not lib:
            raise Fail("nginx needs %s, which none of the packages %s has"
                       % (name, ", ".join(PACKAGES)))
        files["lib/x86_64-linux-gnu/" + name] = lib
        todo += needed(lib)
    return files


def archive(out, with_nginx=True):
    """Writes out/web.cpio; returns (path, {package: version}, note)."""
    b = builder()
    c = b.Cpio()
    for d in ("etc", "www"):
        c.dir(d)
    with open(PAGE, "rb") as f:
        c.file("www/bench.html", f.read(), 0o644)
    versions, note = {}, ""
    if with_nginx:
        try:
            cache = b.cache_dir()
            with b.Lock(cache):
                pk = unpacked(b, cache)
            versions = {p: v for p, (v, _) in pk.items()}
            files = nginx_files([root for _, root in pk.values()])
            for d in ("etc/nginx", "usr", "usr/sbin", "lib",
                      "lib/x86_64-linux-gnu", "lib64"):
                c.dir(d)
            for dest in sorted(files):
                with open(files[dest], "rb") as f:
                    c.file(dest, f.read(), 0o755)
            c.file("etc/nginx/nginx.conf", NGINX_CONF.encode(), 0o644)
            c.file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n"
                   b"nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
                   0o644)
            c.file("etc/group", b"root:x:0:\nnogroup:x:65534:\n", 0o644)
        except (Fail, b.Fail) as e:
            versions, note = {}, "nginx left out: %s" % e
    path = os.path.join(out, "web.cpio")
    b.write_if_changed(path, c.finish())
    return path, versions, note


def combined_initrd(guest_initrd, web, out):
    """The guest's initramfs followed by the web archive."""
    with open(guest_initrd, "rb") as f:
        data = f.read()
    with open(web, "rb") as f:
        data += f.read()
    path = os.path.join(out, "initrd-web.cpio")
    builder().write_if_changed(path, data)
    return path
