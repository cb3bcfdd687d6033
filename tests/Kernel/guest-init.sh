#!/bin/busybox sh
# /init of the test guest (see vm.sh): load modules, build the root (host / read-only + tmpfs overlay), run the command.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo 0 > /proc/sys/kernel/printk
stty -F /dev/console -onlcr 2>/dev/null
fail() { echo "guest-init: $*" > /dev/console; poweroff -f; }
while read -r m; do
    insmod "/lib/modules/$m" 2>/dev/null || case "$m" in crc32c*) ;; *) echo "guest-init: insmod $m failed" > /dev/console ;; esac
done < /modules.order
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,ro,cache=loose hostroot /mnt/host || fail "cannot mount the host root"
mount -t tmpfs -o size=70% rw /mnt/rw || fail "cannot mount the overlay tmpfs"
mkdir -p /mnt/rw/upper /mnt/rw/work
mount -t overlay -o lowerdir=/mnt/host,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work overlay /newroot || fail "cannot mount the overlay"
mkdir -p /newroot/xfer /newroot/proc /newroot/sys /newroot/dev /newroot/run /newroot/tmp
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=none xfer /newroot/xfer || fail "cannot mount the transfer share"
mount -t proc proc /newroot/proc
mount -t sysfs sys /newroot/sys
mount -t devtmpfs dev /newroot/dev
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts devpts /newroot/dev/pts
mount -t tmpfs shm /newroot/dev/shm
mount -t tmpfs run /newroot/run
ip link set lo up 2>/dev/null
hostname lvsps-guest
chroot /newroot /bin/bash /xfer/command.sh > /dev/console 2>&1 < /dev/null
echo $? > /newroot/xfer/rc
sync
poweroff -f
