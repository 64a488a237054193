# The IPython profile of the kernels that `make run`, `make test`, `make outputs` and `make lab` start
# (the Makefile and conftest.py point IPYTHONDIR here).
#
# TensorFlow's C++ start-up lines (CUDA, oneDNN, absl) are written to the process's file
# descriptor 2 before TF_CPP_MIN_LOG_LEVEL is read. ipykernel copies that descriptor into the
# notebook as stderr output, which would land in the stored notebooks. Leave it on the kernel's
# own stderr instead; Python-level warnings (sys.stderr) still reach the notebook as usual.
c.IPKernelApp.capture_fd_output = False
