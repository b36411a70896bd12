"""The sandbox: isolation levels, the worker and its wire protocol, and the zygote pool."""
