# Allocates 64 MiB blocks and touches every page of each, so the memory is really
# resident (an untouched allocation would only reserve address space).
blocks = []
print("Start", flush=True)
while True:
    block = bytearray(64 << 20)
    for i in range(0, len(block), 4096):
        block[i] = 1
    blocks.append(block)
