"""练习 10 — 部署：保存、恢复与导出。

“构建、训练、部署”最终落到三种文件上，
每一种都有它的陷阱。

目标：

* ``save_weights(model, path)`` / ``load_weights(model, path)``：写出模型的
  权重，再把它们读回同一个类的新实例（``load_weights`` 返回这个模型）。
  重新加载的模型必须给出与原模型完全相同的输出，批量归一化的统计量
  也包括在内。
* ``save_checkpoint(path, model, optimizer, epoch)`` /
  ``load_checkpoint(path, model, optimizer)``：``epoch`` 是已经完成的轮数；
  ``load_checkpoint`` 恢复模型和优化器，并返回 ``epoch``。从检查点恢复的
  训练必须与从未中断过的训练一步一步完全吻合。
* 加载时不能执行藏在文件里的代码：从别处下载的检查点是数据，
  只能当作数据来读。
* ``export_model(model, example_input, path)`` / ``load_exported(path)``：
  写出一个自包含的产物，让*另一个*进程无需模型的 Python 类就能加载它，
  并在形状与 ``example_input`` 相同的输入上调用。``load_exported`` 返回
  一个可调用对象。

检验你的代码：grader check exercise-10
"""

import torch


def save_weights(model, path):
    """把模型的权重写到 ``path``。"""
    # TODO: 这样会把整个对象 pickle 下来，连同对它的类的引用。
    torch.save(model, path)


def load_weights(model, path):
    """把 save_weights 写出的权重加载到 ``model`` 中，并返回这个模型。"""
    # TODO: weights_only=False 让文件在加载时可以运行任何它想运行的代码。
    return torch.load(path, weights_only=False)


def save_checkpoint(path, model, optimizer, epoch):
    """保存恢复训练所需的一切；``epoch`` 是已经完成的轮数。"""
    # TODO: 训练只取决于模型的状态吗？
    torch.save({"model": model.state_dict(), "epoch": epoch}, path)


def load_checkpoint(path, model, optimizer):
    """从 ``path`` 恢复 ``model`` 和 ``optimizer``；返回接着训练的轮数。"""
    checkpoint = torch.load(path, weights_only=False)
    model.load_state_dict(checkpoint["model"])
    # TODO: 这里的优化器是从零开始的。
    return checkpoint["epoch"]


def export_model(model, example_input, path):
    """把 ``model`` 导出到 ``path``（用 torch.export 或 TorchScript），输入的形状与 ``example_input`` 相同。"""
    raise NotImplementedError("TODO: export the model (torch.export or TorchScript) and save it to path")


def load_exported(path):
    """加载 export_model 写出的产物，返回一个可调用对象。"""
    raise NotImplementedError("TODO: load the exported artefact from path")
