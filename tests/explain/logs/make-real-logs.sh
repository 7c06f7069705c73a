#!/bin/bash
# Produce real pip/uv failure logs for buildwise explain fixtures.
cd /tmp/w
mkshim() {  # mkshim NAME hidden1 hidden2 ...: a bin dir with every /usr/bin,/bin tool but the hidden ones
  local d=/tmp/w/shim-$1; shift
  rm -rf $d; mkdir -p $d
  for f in /usr/local/bin/* /usr/bin/*; do
    b=$(basename "$f"); skip=0
    for h in "$@"; do [[ "$b" == $h ]] && skip=1; done
    [[ $skip == 0 && ! -e $d/$b ]] && ln -s "$f" "$d/$b"
  done
  echo $d
}
BASEENV=(env -i HOME=/root LANG=C.UTF-8 SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt PIP_CONFIG_FILE=/dev/null PIP_CERT=/etc/ssl/certs/ca-certificates.crt PIP_DEFAULT_TIMEOUT=180 TMPDIR=/tmp/w/tmp)
mkdir -p tmp
run() {  # run NAME PATH cmd...
  local name=$1 path=$2; shift 2
  echo "== $name: $* (PATH=$path)" >&2
  date -u +%FT%TZ > out/$name.meta; echo "$*" >> out/$name.meta; echo "PATH=$path" >> out/$name.meta
  "${BASEENV[@]}" PATH="$path" "$@" > out/$name.log 2>&1; echo "exit $?" >> out/$name.meta
  tail -3 out/$name.log >&2
}
NOPG=$(mkshim nopg 'pg_config')
NOCC=$(mkshim nocc 'gcc' 'gcc-*' 'cc' 'c++' 'g++' 'g++-*' 'x86_64-linux-gnu-gcc*' 'x86_64-linux-gnu-g++*' 'clang*' 'c89*' 'c99*')
NOPKGCONF=$(mkshim nopkgconf 'pkg-config' 'pkgconf' 'x86_64-linux-gnu-pkg-config' 'x86_64-linux-gnu-pkgconf')
SYS=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
V=/tmp/w/v311/bin; V12=/tmp/w/v312/bin
case "${1:-all}" in all|main)
run psycopg2-no-pg-config "$V:$NOPG" $V/pip install -v --no-cache-dir psycopg2==2.9.9
run mysqlclient-no-libmysqlclient "$V:$SYS" $V/pip install -v --no-cache-dir mysqlclient==2.2.4
run mysqlclient-no-pkg-config "$V:$NOPKGCONF" $V/pip install -v --no-cache-dir mysqlclient==2.2.4
run python-ldap-no-headers "$V:$SYS" $V/pip install -v --no-cache-dir python-ldap==3.4.4
run pycairo-no-cairo "$V:$SYS" $V/pip install -v --no-cache-dir pycairo==1.26.1
run dbus-python-no-dbus "$V:$SYS" $V/pip install -v --no-cache-dir dbus-python==1.3.2
run pyaudio-no-portaudio "$V:$SYS" $V/pip install -v --no-cache-dir PyAudio==0.2.14
run m2crypto-no-swig "$V:$SYS" $V/pip install -v --no-cache-dir M2Crypto==0.40.1
run pycurl-7.45.2-no-curl-config "$V:$SYS" $V/pip install -v --no-cache-dir pycurl==7.45.2
run pydantic-core-no-cargo "$V:$SYS" $V/pip install -v --no-cache-dir --no-binary pydantic-core pydantic-core==2.27.2
run orjson-no-cargo "$V:$SYS" $V/pip install -v --no-cache-dir --no-binary orjson orjson==3.10.7
run psutil-no-compiler "$V:$NOCC" $V/pip install -v --no-cache-dir --no-binary psutil psutil==5.9.8
run pyyaml-5.4.1-py311 "$V:$SYS" $V/pip install -v --no-cache-dir PyYAML==5.4.1
run yarl-1.8.1-py311 "$V:$SYS" $V/pip install -v --no-cache-dir yarl==1.8.1
run pycocotools-2.0.0-no-cython "$V:$SYS" $V/pip install -v --no-cache-dir pycocotools==2.0.0
run numpy-1.24.4-py312 "$V12:$SYS" $V12/pip install -v --no-cache-dir numpy==1.24.4
;; esac
case "${1:-all}" in all|second)
run psycopg2-no-pg-config-quiet "$V:$NOPG" $V/pip install --no-cache-dir psycopg2==2.9.9
# pip too old: pip 19.2.3 predates manylinux2014 tags, so it builds psycopg2-binary from its sdist
[ -d v310old ] || { /root/.pyenv/versions/3.10.13/bin/python -m venv v310old && "${BASEENV[@]}" PATH=$SYS v310old/bin/python -m pip install -q "pip==19.2.3"; }
run psycopg2-binary-old-pip "/tmp/w/v310old/bin:$NOPG" /tmp/w/v310old/bin/pip install --no-cache-dir psycopg2-binary==2.9.9
[ -d uvenv ] || { /root/.pyenv/versions/3.11.7/bin/python -m venv uvenv && "${BASEENV[@]}" PATH=$SYS uvenv/bin/pip install -q uv; }
U=/tmp/w/uvenv/bin/uv
run uv-psycopg2-no-pg-config "$V:$NOPG" $U pip install --no-cache --python $V/python psycopg2==2.9.9
run uv-numpy-1.24.4-py312 "$V12:$SYS" $U pip install --no-cache --python $V12/python numpy==1.24.4
run uv-python-ldap-no-headers "$V:$SYS" $U pip install --no-cache --python $V/python python-ldap==3.4.4
;; esac
case "${1:-all}" in all|slow)
run numpy-1.24.4-py311-no-binary "$V:$SYS" $V/pip install -v --no-cache-dir --no-binary numpy numpy==1.24.4
;; esac
case "${1:-all}" in uv)
U=/tmp/w/uvenv/bin/uv
run uv-psycopg2-no-pg-config "$V:$NOPG" $U pip install --no-cache --python $V/python psycopg2==2.9.9
run uv-numpy-1.24.4-py312 "$V12:$SYS" $U pip install --no-cache --python $V12/python numpy==1.24.4
run uv-python-ldap-no-headers "$V:$SYS" $U pip install --no-cache --python $V/python python-ldap==3.4.4
;; esac
case "${1:-all}" in distutils)
run legacy-distutils-demo-py312 "$V12:$SYS" $V12/pip install -v --no-cache-dir ./proj/legacy-distutils-demo
;; esac
