"""The worked solutions of the checked exercises, by check name: `check.solution(name)`.

Generated from the solution notebooks by `python -m course_utils exercises`: do not edit.
"""

SOLUTIONS = {
    "lesson01.sigmoid": "return 1 / (1 + np.exp(-z))",
    "lesson01.predict_proba": "return sigmoid(X @ w)",
    "lesson01.gradient": "p = predict_proba(X, w)\nreturn 2 / len(X) * X.T @ ((p - y) * p * (1 - p))",
    "lesson01.step": "w = w - LEARNING_RATE * gradient(x_train[batch], y_train[batch], w)",
    "lesson02.perceptron_variables": 'W = tf.Variable(tf.zeros([784, 10]), name="W")\nb = tf.Variable(tf.zeros([10]), name="b")',
    "lesson02.cross_entropy": "return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(y_true, logits))",
    "lesson02.hidden_layer_variables": 'W1 = tf.Variable(\n    keras.initializers.TruncatedNormal(stddev=0.1, seed=seed)((784, HIDDEN_UNITS)), name="W1"\n)\nb1 = tf.Variable(tf.zeros([HIDDEN_UNITS]), name="b1")\nW2 = tf.Variable(\n    keras.initializers.TruncatedNormal(stddev=0.1, seed=seed + 1)((HIDDEN_UNITS, 10)), name="W2"\n)\nb2 = tf.Variable(tf.zeros([10]), name="b2")',
    "lesson02.hidden_network": "h = tf.sigmoid(x @ W1 + b1)\nreturn h @ W2 + b2",
    "lesson03.tanh_output": 'tanh_output = MLP([784, 10], output_activation="tanh", initializer="zeros", bias_initializer="zeros")',
    "lesson03.loss_first_image": "loss_first_image = -tf.reduce_sum(y_test[:1] * tf.math.log(tanh_output(x_test[:1])))",
    "lesson04.hidden_unit_spread": "spread = float(np.std(W1, axis=1).mean())\ndistinct = np.unique(W1.round(4), axis=1).shape[1]",
    "lesson04.layer_stds": "layers = [h.numpy() for h in deep.hidden(x_val[:1000])]\nstds[activation, initializer] = [float(np.std(h)) for h in layers]",
    "lesson05.model": 'model = keras.Sequential(\n    [keras.Input((28 * 28,)), layers.Dense(10, activation="softmax")], name="one_layer"\n)',
    "lesson05.compile": 'model.compile(\n    optimizer=keras.optimizers.SGD(LEARNING_RATE),\n    loss="sparse_categorical_crossentropy",\n    metrics=["accuracy"],\n)',
    "lesson05.fit": "history = model.fit(\n    training_dataset(x_train, y_train, BATCH_SIZE, seed=SEED),\n    validation_data=evaluation_dataset(x_val, y_val),\n    epochs=EPOCHS,\n    callbacks=[PlotTraining(sample_rate=10), timer],\n    verbose=2,\n)",
    "lesson06.sigmoid_model": 'sigmoid_model = keras.Sequential(\n    [\n        keras.Input((28 * 28,)),\n        layers.Dense(200, activation="sigmoid"),\n        layers.Dense(100, activation="sigmoid"),\n        layers.Dense(60, activation="sigmoid"),\n        layers.Dense(30, activation="sigmoid"),\n        layers.Dense(10, activation="softmax"),\n    ],\n    name="sigmoid_sgd",\n)',
    "lesson06.relu_model": 'model = keras.Sequential(\n    [\n        keras.Input((28 * 28,)),\n        layers.Dense(200, activation="relu"),\n        layers.Dense(100, activation="relu"),\n        layers.Dense(60, activation="relu"),\n        layers.Dense(30, activation="relu"),\n        layers.Dense(10, activation="softmax"),\n    ],\n    name="relu_adam",\n)',
    "lesson06.compile": 'model.compile(\n    optimizer=keras.optimizers.Adam(LEARNING_RATE),\n    loss="sparse_categorical_crossentropy",\n    metrics=["accuracy"],\n)',
    "lesson07.dense_network": 'network = keras.Sequential(\n    [\n        keras.Input((28 * 28,)),\n        layers.Dense(200, activation="relu"),\n        layers.Dense(100, activation="relu"),\n        layers.Dense(60, activation="relu"),\n        layers.Dense(30, activation="relu"),\n        layers.Dense(10, activation="softmax"),\n    ],\n    name=name,\n)\nnetwork.compile(\n    optimizer=keras.optimizers.Adam(learning_rate),\n    loss="sparse_categorical_crossentropy",\n    metrics=["accuracy"],\n)',
    "lesson07.learning_rate_for": "return LEARNING_RATE * LR_DECAY**epoch",
    "lesson08.dropout_layers": 'hidden_with_dropout = [\n    layers.Dense(200, activation="relu"),\n    layers.Dropout(DROPOUT),\n    layers.Dense(100, activation="relu"),\n    layers.Dropout(DROPOUT),\n    layers.Dense(60, activation="relu"),\n    layers.Dropout(DROPOUT),\n    layers.Dense(30, activation="relu"),\n    layers.Dropout(DROPOUT),\n]',
    "lesson09.convolutions": 'convolutions = [\n    layers.Reshape((28, 28, 1)),\n    layers.Conv2D(12, 3, padding="same", activation="relu"),\n    layers.Conv2D(24, 6, strides=2, padding="same", activation="relu"),\n    layers.Conv2D(32, 6, strides=2, padding="same", activation="relu"),\n]',
    "lesson09.learning_rate_for": "return LEARNING_RATE * LR_DECAY**epoch",
    "lesson10.convolutions": 'convolutions = [\n    layers.Conv2D(24, 6, padding="same", activation="relu"),\n    layers.Conv2D(48, 5, strides=2, padding="same", activation="relu"),\n    layers.Conv2D(64, 4, strides=2, padding="same", activation="relu"),\n]',
    "lesson10.dense_with_dropout": 'dense_with_dropout = [layers.Dense(200, activation="relu"), layers.Dropout(DROPOUT)]',
    "lesson10.learning_rate_for": "return LEARNING_RATE * LR_DECAY**epoch",
    "lesson11.conv_bn_relu": 'return [\n    layers.Conv2D(filters, kernel_size, strides=strides, padding="same", use_bias=False),\n    layers.BatchNormalization(scale=False, momentum=BN_MOMENTUM),\n    layers.Activation("relu"),\n]',
    "lesson11.dense_bn_relu": 'return [\n    layers.Dense(units, use_bias=False),\n    layers.BatchNormalization(scale=False, momentum=BN_MOMENTUM),\n    layers.Activation("relu"),\n]',
    "lesson11.learning_rate_for": "return LEARNING_RATE * LR_DECAY**epoch",
}
