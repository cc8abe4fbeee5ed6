/* SPDX-License-Identifier: Apache-2.0 */
/* The jansson functions the tool uses, forwarding to libjansson.so.4
 * dlopen()ed on first use; see json_lazy.h. Each definition must keep
 * jansson.h's prototype (the compiler checks it against the header). */
#include "json_lazy.h"

#include <jansson.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "engine/lazylib.h"
#include "engine/util.h"

static struct {
	void *handle;
	SBX_LAZY_FIELD(json_array);
	SBX_LAZY_FIELD(json_array_append_new);
	SBX_LAZY_FIELD(json_array_get);
	SBX_LAZY_FIELD(json_array_size);
	SBX_LAZY_FIELD(json_deep_copy);
	SBX_LAZY_FIELD(json_delete);
	SBX_LAZY_FIELD(json_dumps);
	SBX_LAZY_FIELD(json_equal);
	SBX_LAZY_FIELD(json_integer);
	SBX_LAZY_FIELD(json_integer_value);
	SBX_LAZY_FIELD(json_loadb);
	SBX_LAZY_FIELD(json_null);
	SBX_LAZY_FIELD(json_object);
	SBX_LAZY_FIELD(json_object_get);
	SBX_LAZY_FIELD(json_object_iter);
	SBX_LAZY_FIELD(json_object_iter_key);
	SBX_LAZY_FIELD(json_object_iter_next);
	SBX_LAZY_FIELD(json_object_iter_value);
	SBX_LAZY_FIELD(json_object_key_to_iter);
	SBX_LAZY_FIELD(json_object_set_new);
	SBX_LAZY_FIELD(json_object_del);
	SBX_LAZY_FIELD(json_vpack_ex);
	SBX_LAZY_FIELD(json_real_value);
	SBX_LAZY_FIELD(json_string);
	SBX_LAZY_FIELD(json_string_length);
	SBX_LAZY_FIELD(json_string_value);
	SBX_LAZY_FIELD(json_stringn);
} api;

int sbx_json_load(struct sbx_error *err)
{
	const struct sbx_lazy_sym syms[] = {
	    SBX_LAZY_SYM(&api, json_array),
	    SBX_LAZY_SYM(&api, json_array_append_new),
	    SBX_LAZY_SYM(&api, json_array_get),
	    SBX_LAZY_SYM(&api, json_array_size),
	    SBX_LAZY_SYM(&api, json_deep_copy),
	    SBX_LAZY_SYM(&api, json_delete),
	    SBX_LAZY_SYM(&api, json_dumps),
	    SBX_LAZY_SYM(&api, json_equal),
	    SBX_LAZY_SYM(&api, json_integer),
	    SBX_LAZY_SYM(&api, json_integer_value),
	    SBX_LAZY_SYM(&api, json_loadb),
	    SBX_LAZY_SYM(&api, json_null),
	    SBX_LAZY_SYM(&api, json_object),
	    SBX_LAZY_SYM(&api, json_object_get),
	    SBX_LAZY_SYM(&api, json_object_iter),
	    SBX_LAZY_SYM(&api, json_object_iter_key),
	    SBX_LAZY_SYM(&api, json_object_iter_next),
	    SBX_LAZY_SYM(&api, json_object_iter_value),
	    SBX_LAZY_SYM(&api, json_object_key_to_iter),
	    SBX_LAZY_SYM(&api, json_object_set_new),
	    SBX_LAZY_SYM(&api, json_object_del),
	    SBX_LAZY_SYM(&api, json_vpack_ex),
	    SBX_LAZY_SYM(&api, json_real_value),
	    SBX_LAZY_SYM(&api, json_string),
	    SBX_LAZY_SYM(&api, json_string_length),
	    SBX_LAZY_SYM(&api, json_string_value),
	    SBX_LAZY_SYM(&api, json_stringn),
	};

	if (api.handle)
		return 0;
	return sbx_lazy_open("libjansson.so.4", "libjansson4", syms, SBX_ARRAY_SIZE(syms),
			     &api.handle, err);
}

/* Every forwarder starts here: JSON without the library cannot go on. */
static void need_jansson(void)
{
	struct sbx_error err = {{0}};

	if (api.handle || sbx_json_load(&err) == 0)
		return;
	if (write(STDERR_FILENO, "sandboxec: ", 11) < 0 ||
	    write(STDERR_FILENO, err.msg, strlen(err.msg)) < 0 ||
	    write(STDERR_FILENO, "\n", 1) < 0) {
		/* nothing more can be said */
	}
	_exit(1);
}

#define FORWARD(ret, name, params, args)                                                           \
	ret name params                                                                            \
	{                                                                                          \
		need_jansson();                                                                    \
		return api.name args;                                                              \
	}

/* clang-format off */
FORWARD(json_t *, json_array, (void), ())
FORWARD(int, json_array_append_new, (json_t *array, json_t *value), (array, value))
FORWARD(json_t *, json_array_get, (const json_t *array, size_t index), (array, index))
FORWARD(size_t, json_array_size, (const json_t *array), (array))
FORWARD(json_t *, json_deep_copy, (const json_t *value), (value))
FORWARD(char *, json_dumps, (const json_t *json, size_t flags), (json, flags))
FORWARD(int, json_equal, (const json_t *value1, const json_t *value2), (value1, value2))
FORWARD(json_t *, json_integer, (json_int_t value), (value))
FORWARD(json_int_t, json_integer_value, (const json_t *integer), (integer))
FORWARD(json_t *, json_loadb,
	(const char *buffer, size_t buflen, size_t flags, json_error_t *error),
	(buffer, buflen, flags, error))
FORWARD(json_t *, json_null, (void), ())
FORWARD(json_t *, json_object, (void), ())
FORWARD(json_t *, json_object_get, (const json_t *object, const char *key), (object, key))
FORWARD(void *, json_object_iter, (json_t *object), (object))
FORWARD(const char *, json_object_iter_key, (void *iter), (iter))
FORWARD(void *, json_object_iter_next, (json_t *object, void *iter), (object, iter))
FORWARD(json_t *, json_object_iter_value, (void *iter), (iter))
FORWARD(void *, json_object_key_to_iter, (const char *key), (key))
FORWARD(int, json_object_del, (json_t *object, const char *key), (object, key))
FORWARD(int, json_object_set_new, (json_t *object, const char *key, json_t *value),
	(object, key, value))
FORWARD(double, json_real_value, (const json_t *real), (real))
FORWARD(json_t *, json_string, (const char *value), (value))
FORWARD(size_t, json_string_length, (const json_t *string), (string))
FORWARD(const char *, json_string_value, (const json_t *string), (string))
FORWARD(json_t *, json_stringn, (const char *value, size_t len), (value, len))
/* clang-format on */

/* json_delete returns nothing, and json_pack is variadic: by hand. */
void json_delete(json_t *json)
{
	need_jansson();
	api.json_delete(json);
}

json_t *json_pack(const char *fmt, ...)
{
	json_t *value;
	va_list ap;

	need_jansson();
	va_start(ap, fmt);
	value = api.json_vpack_ex(NULL, 0, fmt, ap);
	va_end(ap);
	return value;
}
