def checksum(bytes data):
    cdef unsigned int total = 0
    for b in data:
        total = (total + b) & 0xFFFFFFFF
    return total
