#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Packs a built image as OCI images (make oci), without docker.

    oci.py --out DIR --kernel IMAGE [--initrd FILE] [--disk-image FILE]
           [--cmdline "params -- args"] [--hypervisor qemu] [--docker-archive]

Writes one OCI image layout (OCI image-spec 1.0: oci-layout, index.json,
blobs/sha256/...) at DIR with two images, told apart by their ref name
(org.opencontainers.image.ref.name in index.json):

- containerdisk: a KubeVirt containerDisk. KubeVirt copies nothing out of
  it: it starts the image's files in a pod and hands QEMU the one disk
  file it finds under /disk/ (raw or qcow2, readable by its qemu user,
  uid 107). The disk is --disk-image (a bootable raw/qcow2 from make
  image), else a qcow2 made by qemu-img from the app's data disk or, with
  none, from the image file itself, which only makes the layout complete
  (it does not boot from BIOS). The kernel and initrd are also under
  /boot/, so that KubeVirt's kernelBoot (firmware.kernelBoot.container:
  kernelPath, initrdPath, kernelArgs) boots the image directly, as QEMU's
  -kernel does here.
- urunc: the image for urunc, an OCI runtime for unikernels: the kernel
  and initrd under /unikernel/, its annotations (com.urunc.unikernel.*)
  in the manifest, as labels in the config, and in /urunc.json with the
  values base64-encoded (urunc reads that file when the runtime passes it
  no annotations).

Layers are gzip-compressed tars made here with fixed times, owners and
order, so that the same inputs give the same digests. --docker-archive
also writes DIR.tar: `docker load` input (manifest.json + config + layer
tars) of both images, tagged cairn/<name>:containerdisk and :urunc.
"""
import argparse
import base64
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
REF = "org.opencontainers.image.ref.name"
QEMU_UID = 107                  # KubeVirt's qemu user owns the disk
EPOCH = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
URUNC = "com.urunc.unikernel."
HYPERVISORS = ("qemu", "firecracker", "cloud-hypervisor")


class Refused(Exception):
    pass


def layer(files):
    """A gzip'd tar of files: (path in the image, bytes or None for a
    folder, mode, uid). Returns (compressed bytes, diff_id)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        for path, data, mode, uid in files:
            info = tarfile.TarInfo(path)
            info.mtime, info.mode, info.uid, info.gid = EPOCH, mode, uid, uid
            if data is None:
                info.type = tarfile.DIRTYPE
                t.addfile(info)
            else:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
    tar = raw.getvalue()
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0, compresslevel=6) as g:
        g.write(tar)
    return gz.getvalue(), "sha256:" + hashlib.sha256(tar).hexdigest()


class Layout:
    """An OCI image layout being written at root."""

    def __init__(self, root):
        self.root = root
        self.blobs = os.path.join(root, "blobs", "sha256")
        os.makedirs(self.blobs, exist_ok=True)
        self.manifests = []
        self.docker = []

    def blob(self, data, media_type):
        digest = hashlib.sha256(data).hexdigest()
        with open(os.path.join(self.blobs, digest), "wb") as f:
            f.write(data)
        return {"mediaType": media_type, "digest": "sha256:" + digest,
                "size": len(data)}

    def image(self, ref, files, labels, annotations, history):
        gz, diff_id = layer(files)
        lay = self.blob(gz, MT_LAYER)
        config = {
            "created": "1970-01-01T00:00:00Z",
            "architecture": "amd64", "os": "linux",
            "config": {"Labels": labels} if labels else {},
            "rootfs": {"type": "layers", "diff_ids": [diff_id]},
            "history": [{"created": "1970-01-01T00:00:00Z",
                         "created_by": history}],
        }
        cfg = self.blob(json.dumps(config, indent=1, sort_keys=True)
                        .encode(), MT_CONFIG)
        manifest = {"schemaVersion": 2, "mediaType": MT_MANIFEST,
                    "config": cfg, "layers": [lay]}
        if annotations:
            manifest["annotations"] = annotations
        m = self.blob(json.dumps(manifest, indent=1, sort_keys=True)
                      .encode(), MT_MANIFEST)
        m["annotations"] = {REF: ref}
        m["platform"] = {"architecture": "amd64", "os": "linux"}
        self.manifests.append(m)
        self.docker.append((ref, cfg["digest"], lay["digest"]))

    def finish(self):
        with open(os.path.join(self.root, "oci-layout"), "w") as f:
            json.dump({"imageLayoutVersion": "1.0.0"}, f)
        with open(os.path.join(self.root, "index.json"), "w") as f:
            json.dump({"schemaVersion": 2, "mediaType": MT_INDEX,
                       "manifests": self.manifests}, f, indent=1)

    def docker_archive(self, path, name):
        """docker load's format: manifest.json naming each image's config
        and layer files (the layers uncompressed, as docker save has
        them)."""
        entries, files = [], {}
        for ref, cfg, lay in self.docker:
            c, l_ = cfg.split(":")[1], lay.split(":")[1]
            with open(os.path.join(self.blobs, l_), "rb") as f:
                tar = gzip.decompress(f.read())
            tar_name = hashlib.sha256(tar).hexdigest() + "/layer.tar"
            files[c + ".json"] = open(os.path.join(self.blobs, c),
                                      "rb").read()
            files[tar_name] = tar
            entries.append({"Config": c + ".json",
                            "RepoTags": ["cairn/%s:%s" % (name, ref)],
                            "Layers": [tar_name]})
        files["manifest.json"] = json.dumps(entries).encode()
        with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as t:
            for n in sorted(files):
                info = tarfile.TarInfo(n)
                info.mtime, info.mode, info.size = EPOCH, 0o644, len(files[n])
                t.addfile(info, io.BytesIO(files[n]))


def qcow2_of(src, tmp):
    """src converted to qcow2 by qemu-img (already qcow2: as it is)."""
    with open(src, "rb") as f:
        if f.read(4) == b"QFI\xfb":
            return src
    out = os.path.join(tmp, "disk.qcow2")
    if shutil.which("qemu-img") is None:
        raise Refused("qemu-img not found; install the Debian package "
                      "'qemu-utils' (support/deps.py deploy-tools does)")
    p = subprocess.run(["qemu-img", "convert", "-f", "raw", "-O", "qcow2",
                        src, out], capture_output=True, text=True)
    if p.returncode:
        raise Refused("qemu-img convert %s failed: %s" % (src,
                                                           p.stderr.strip()))
    return out


def urunc_annotations(a, kernel_path, initrd_path):
    ann = {URUNC + "unikernelType": a.unikernel_type,
           URUNC + "hypervisor": a.hypervisor,
           URUNC + "binary": kernel_path,
           URUNC + "cmdline": a.cmdline}
    if initrd_path:
        ann[URUNC + "initrd"] = initrd_path
    return ann


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", required=True, help="the layout's folder")
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd")
    ap.add_argument("--disk-image", help="the containerDisk's disk (raw or "
                    "qcow2); default: --data-disk, else the image file, "
                    "converted to qcow2")
    ap.add_argument("--data-disk", help="the app's data disk (make run's "
                    "DISK), the containerDisk's default disk")
    ap.add_argument("--cmdline", default="", help="library parameters "
                    "[-- app arguments], as make run passes them")
    ap.add_argument("--hypervisor", default="qemu",
                    help="urunc's monitor: %s (default qemu)"
                    % ", ".join(HYPERVISORS))
    ap.add_argument("--unikernel-type", default="cairn",
                    help="com.urunc.unikernel.unikernelType (default cairn)")
    ap.add_argument("--docker-archive", action="store_true",
                    help="also write OUT.tar for docker load")
    a = ap.parse_args(argv)
    name = os.path.basename(a.kernel)
    try:
        if a.hypervisor not in HYPERVISORS:
            raise Refused("HYPERVISOR=%s: urunc's monitors for this image "
                          "are %s" % (a.hypervisor, ", ".join(HYPERVISORS)))
        for what, path in (("image", a.kernel), ("initrd", a.initrd),
                           ("DISKIMAGE", a.disk_image),
                           ("data disk", a.data_disk)):
            if path and not os.path.isfile(path):
                raise Refused("%s %s not found" % (what, path))
        kernel = open(a.kernel, "rb").read()
        initrd = open(a.initrd, "rb").read() if a.initrd else None
        if os.path.isdir(a.out):
            shutil.rmtree(a.out)
        lay = Layout(a.out)
        with tempfile.TemporaryDirectory() as tmp:
            disk = qcow2_of(a.disk_image or a.data_disk or a.kernel, tmp)
            disk_name = "%s.%s" % (name, "qcow2")
            with open(disk, "rb") as f:
                disk_bytes = f.read()
        boot = [("boot", None, 0o555, 0),
                ("boot/" + name, kernel, 0o444, 0)]
        if initrd:
            boot.append(("boot/initrd.cpio", initrd, 0o444, 0))
        lay.image("containerdisk",
                  [("disk", None, 0o555, QEMU_UID),
                   ("disk/" + disk_name, disk_bytes, 0o440, QEMU_UID)] + boot,
                  {}, {"org.opencontainers.image.title": name},
                  "cairn make oci: KubeVirt containerDisk (/disk/%s)"
                  % disk_name)
        kpath = "/unikernel/" + name
        ipath = "/unikernel/initrd.cpio" if initrd else None
        ann = urunc_annotations(a, kpath, ipath)
        files = [("unikernel", None, 0o755, 0),
                 ("unikernel/" + name, kernel, 0o755, 0)]
        if initrd:
            files.append(("unikernel/initrd.cpio", initrd, 0o644, 0))
        files.append(("urunc.json", json.dumps(
            {k: base64.b64encode(v.encode()).decode()
             for k, v in sorted(ann.items())}, indent=1).encode(), 0o644, 0))
        lay.image("urunc", files, ann,
                  dict(ann, **{"org.opencontainers.image.title": name}),
                  "cairn make oci: urunc unikernel image (%s)" % kpath)
        lay.finish()
        if a.docker_archive:
            lay.docker_archive(a.out.rstrip("/") + ".tar", name)
    except (Refused, OSError) as e:
        sys.stderr.write("cairn: error: %s\n" % e)
        return 2
    print("  OCI     %s (oci:%s:containerdisk, oci:%s:urunc)"
          % (a.out, a.out, a.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
