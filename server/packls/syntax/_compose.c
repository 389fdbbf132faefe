/* packls.syntax._compose: libyaml's events straight into packls nodes, in compiled code.
 *
 * The same tree builder as `fast._build` (which stays the reference and the fallback): every
 * rule below mirrors a line of it, and tests/test_syntax_compiled.py checks that both give
 * identical trees, spans, duplicates and refusals on every real pack file and on mutated and
 * generated texts. Building in Python costs two Python objects per event (PyYAML's event and
 * its marks) plus the interpreter's loop: about 2.7x libyaml's own compose. Here the nodes are
 * made directly, their slots written through the classes' own member descriptors.
 *
 * build(text, duplicates, offsets) -> list of documents, or None when the Python rules would
 * refuse the text (ruamel then decides), or raises the configured TooManyValues(limit, at).
 * Nothing here trusts the text: libyaml parses it, every index into it is bounds-checked, the
 * open collections live on a heap stack, and the number of values is capped.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <yaml.h>

/* What configure() was given; all strong references, set once. */
static PyObject *SpanType, *ScalarType, *MappingType, *SequenceType, *PairType;
static PyObject *DuplicateKeyType, *TooManyValuesType, *plain_value;
static char typed_first[128]; /* ASCII first characters of texts ruamel's resolver may type */
static Py_ssize_t short_text, max_values;
/* Slot offsets inside each node object, read from the member descriptors. */
static Py_ssize_t span_start, span_end;
static Py_ssize_t scalar_span, scalar_value, scalar_text, scalar_style;
static Py_ssize_t mapping_span, mapping_pairs, mapping_flow, mapping_index;
static Py_ssize_t sequence_span, sequence_items, sequence_flow;
static Py_ssize_t pair_key, pair_value;
static PyObject *style_single, *style_double, *style_literal, *style_folded;

#define SLOT(obj, offset) (*(PyObject **)((char *)(obj) + (offset)))

enum { CONTEXT_OTHER = 0, CONTEXT_BLOCK_VALUE = 1, CONTEXT_BLOCK_ENTRY = 2 };
enum { BUILT = 0, REFUSED = 1, FAILED = 2 };

static Py_ssize_t
slot_offset(PyObject *cls, const char *name)
{
    PyObject *descr = PyObject_GetAttrString(cls, name);
    if (descr == NULL)
        return -1;
    if (!Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
        Py_DECREF(descr);
        PyErr_Format(PyExc_TypeError, "%s is not a slot", name);
        return -1;
    }
    PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
    Py_ssize_t offset = member->type == T_OBJECT_EX ? member->offset : -1;
    Py_DECREF(descr);
    if (offset < 0)
        PyErr_Format(PyExc_TypeError, "%s is not an object slot", name);
    return offset;
}

static int
is_slots_class(PyObject *cls)
{
    if (!PyType_Check(cls) || ((PyTypeObject *)cls)->tp_alloc == NULL) {
        PyErr_SetString(PyExc_TypeError, "node classes must be types");
        return 0;
    }
    return 1;
}

/* A new object of a slots class with every listed slot set (new references taken). */
static PyObject *
new_node(PyObject *cls, int count, const Py_ssize_t *offsets, PyObject *const *values)
{
    PyTypeObject *type = (PyTypeObject *)cls;
    PyObject *node = type->tp_alloc(type, 0);
    if (node == NULL)
        return NULL;
    for (int i = 0; i < count; i++) {
        Py_INCREF(values[i]);
        SLOT(node, offsets[i]) = values[i];
    }
    return node;
}

static void
set_slot(PyObject *node, Py_ssize_t offset, PyObject *value)
{
    PyObject *old = SLOT(node, offset);
    Py_INCREF(value);
    SLOT(node, offset) = value;
    Py_XDECREF(old);
}

/* The typed first characters, a set of one-character ASCII strings, as a table. */
static int
read_first_chars(PyObject *firsts)
{
    PyObject *iterator = PyObject_GetIter(firsts), *item;
    if (iterator == NULL)
        return 0;
    memset(typed_first, 0, sizeof(typed_first));
    while ((item = PyIter_Next(iterator)) != NULL) {
        int ok = PyUnicode_Check(item) && PyUnicode_GET_LENGTH(item) == 1 && PyUnicode_READ_CHAR(item, 0) < 128;
        if (ok)
            typed_first[PyUnicode_READ_CHAR(item, 0)] = 1;
        Py_DECREF(item);
        if (!ok) {
            Py_DECREF(iterator);
            PyErr_SetString(PyExc_ValueError, "typed first characters must be single ASCII characters");
            return 0;
        }
    }
    Py_DECREF(iterator);
    return !PyErr_Occurred();
}

static PyObject *
configure(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *span, *scalar, *mapping, *sequence, *pair, *duplicate, *too_many, *typer, *firsts;
    Py_ssize_t short_len, limit;
    if (!PyArg_ParseTuple(args, "OOOOOOOOOnn", &span, &scalar, &mapping, &sequence, &pair,
                          &duplicate, &too_many, &typer, &firsts, &short_len, &limit))
        return NULL;
    if (!is_slots_class(span) || !is_slots_class(scalar) || !is_slots_class(mapping)
        || !is_slots_class(sequence) || !is_slots_class(pair))
        return NULL;
    if ((span_start = slot_offset(span, "start")) < 0 || (span_end = slot_offset(span, "end")) < 0
        || (scalar_span = slot_offset(scalar, "span")) < 0
        || (scalar_value = slot_offset(scalar, "value")) < 0
        || (scalar_text = slot_offset(scalar, "text")) < 0
        || (scalar_style = slot_offset(scalar, "style")) < 0
        || (mapping_span = slot_offset(mapping, "span")) < 0
        || (mapping_pairs = slot_offset(mapping, "pairs")) < 0
        || (mapping_flow = slot_offset(mapping, "flow")) < 0
        || (mapping_index = slot_offset(mapping, "_index")) < 0
        || (sequence_span = slot_offset(sequence, "span")) < 0
        || (sequence_items = slot_offset(sequence, "items")) < 0
        || (sequence_flow = slot_offset(sequence, "flow")) < 0
        || (pair_key = slot_offset(pair, "key")) < 0 || (pair_value = slot_offset(pair, "value")) < 0)
        return NULL;
    if (!read_first_chars(firsts))
        return NULL;
    PyObject *kept[] = {span, scalar, mapping, sequence, pair, duplicate, too_many, typer};
    PyObject **slots[] = {&SpanType, &ScalarType, &MappingType, &SequenceType, &PairType,
                          &DuplicateKeyType, &TooManyValuesType, &plain_value};
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
        Py_INCREF(kept[i]);
        Py_XSETREF(*slots[i], kept[i]);
    }
    short_text = short_len;
    max_values = limit;
    Py_RETURN_NONE;
}

/* One open collection. */
typedef struct {
    PyObject *node;     /* strong */
    PyObject *children; /* borrowed: the node's pairs or items list */
    PyObject *key;      /* strong: a mapping's key waiting for its value, or NULL */
    PyObject *seen;     /* strong: a mapping's key text -> first key span, or NULL */
    int is_mapping;
    int context;
} Frame;

typedef struct {
    PyObject *text;
    int kind;
    const void *data;
    Py_ssize_t length;
    PyObject *offsets; /* borrowed list or NULL */
    Py_ssize_t shared_offsets;
    PyObject *duplicates;
    PyObject *anchors;
    PyObject *documents;
    Frame *stack;
    Py_ssize_t depth, capacity;
    Py_ssize_t budget;
} Builder;

static Py_UCS4
char_at(const Builder *b, Py_ssize_t at)
{
    return (at >= 0 && at < b->length) ? PyUnicode_READ(b->kind, b->data, at) : 0;
}

/* The int for an offset: the shared object when the table has it (fast.SHARED_OFFSETS). */
static PyObject *
offset_object(const Builder *b, Py_ssize_t at)
{
    if (b->offsets != NULL && at >= 0 && at < b->shared_offsets) {
        PyObject *shared = PyList_GET_ITEM(b->offsets, at);
        Py_INCREF(shared);
        return shared;
    }
    return PyLong_FromSsize_t(at);
}

static PyObject *
new_span(const Builder *b, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *bounds[2] = {offset_object(b, start), NULL};
    if (bounds[0] == NULL)
        return NULL;
    bounds[1] = offset_object(b, end);
    if (bounds[1] == NULL) {
        Py_DECREF(bounds[0]);
        return NULL;
    }
    Py_ssize_t offsets[2] = {span_start, span_end};
    PyObject *span = new_node(SpanType, 2, offsets, bounds);
    Py_DECREF(bounds[0]);
    Py_DECREF(bounds[1]);
    return span;
}

static Py_ssize_t
span_bound(PyObject *node, Py_ssize_t which)
{
    PyObject *span = SLOT(node, Py_IS_TYPE(node, (PyTypeObject *)ScalarType) ? scalar_span
                                 : Py_IS_TYPE(node, (PyTypeObject *)MappingType) ? mapping_span
                                                                                 : sequence_span);
    return PyLong_AsSsize_t(SLOT(span, which));
}

/* fast._same_name_in_1_2: the anchor or alias at `at` names exactly `name` and ends where YAML 1.2 ends it. */
static int
same_name_in_1_2(const Builder *b, Py_ssize_t at, PyObject *name)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(name);
    Py_ssize_t end = at + 1 + length;
    if (end > b->length)
        return 0;
    int kind = PyUnicode_KIND(name);
    const void *data = PyUnicode_DATA(name);
    for (Py_ssize_t i = 0; i < length; i++)
        if (char_at(b, at + 1 + i) != PyUnicode_READ(kind, data, i))
            return 0;
    if (end < b->length) {
        Py_UCS4 after = char_at(b, end);
        if (after != ' ' && after != '\n' && after != ',' && after != ']' && after != '}')
            return 0;
    }
    return 1;
}

/* fast._empty_position: where ruamel puts an empty plain value, or -1 when the text goes to ruamel. */
static Py_ssize_t
empty_position(const Builder *b, Py_ssize_t at, int context)
{
    if (context == CONTEXT_BLOCK_ENTRY)
        return at;
    if (context != CONTEXT_BLOCK_VALUE || at == 0 || char_at(b, at - 1) != ':')
        return -1;
    Py_ssize_t i = at;
    while (i < b->length && char_at(b, i) == ' ')
        i++;
    while (i < b->length && char_at(b, i) == '\n') {
        i++;
        while (i < b->length && char_at(b, i) == ' ')
            i++;
    }
    if (i < b->length && char_at(b, i) == '#')
        return -1;
    return i;
}

static PyObject *
decoded(const yaml_char_t *bytes, size_t length)
{
    return PyUnicode_DecodeUTF8((const char *)bytes, (Py_ssize_t)length, "strict");
}

/* Record a new anchor; REFUSED when it was defined before or YAML 1.2 would read its name differently. */
static int
add_anchor(Builder *b, const yaml_char_t *anchor, Py_ssize_t at, PyObject *node)
{
    PyObject *name = decoded(anchor, strlen((const char *)anchor));
    if (name == NULL)
        return FAILED;
    int known = PyDict_Contains(b->anchors, name);
    int result = known < 0 ? FAILED : (known || !same_name_in_1_2(b, at, name)) ? REFUSED : BUILT;
    if (result == BUILT && PyDict_SetItem(b->anchors, name, node) < 0)
        result = FAILED;
    Py_DECREF(name);
    return result;
}

static int
spend_value(Builder *b, Py_ssize_t at)
{
    if (--b->budget >= 0)
        return BUILT;
    PyObject *error = PyObject_CallFunction(TooManyValuesType, "nn", max_values, at);
    if (error != NULL) {
        PyErr_SetObject(TooManyValuesType, error);
        Py_DECREF(error);
    }
    return FAILED;
}

static int
scalar_node(Builder *b, const yaml_event_t *event, PyObject **out)
{
    Py_ssize_t start = (Py_ssize_t)event->start_mark.index, end = (Py_ssize_t)event->end_mark.index;
    if (spend_value(b, start) != BUILT)
        return FAILED;
    if (event->data.scalar.tag != NULL)
        return REFUSED;
    PyObject *text = decoded(event->data.scalar.value, event->data.scalar.length);
    if (text == NULL)
        return FAILED;
    Frame *top = b->depth ? &b->stack[b->depth - 1] : NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    if (length <= short_text || (top != NULL && top->is_mapping && top->key == NULL))
        PyUnicode_InternInPlace(&text); /* keys and short values: few distinct words across files */
    PyObject *style = Py_None, *value = NULL;
    switch (event->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = style_single; break;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = style_double; break;
    case YAML_LITERAL_SCALAR_STYLE: style = style_literal; break;
    case YAML_FOLDED_SCALAR_STYLE: style = style_folded; break;
    default: break;
    }
    if (style == Py_None) {
        if (start == end && length == 0) {
            start = end = empty_position(b, start, top != NULL ? top->context : CONTEXT_OTHER);
            if (start < 0) {
                Py_DECREF(text);
                return REFUSED;
            }
        }
        Py_UCS4 first = length ? PyUnicode_READ_CHAR(text, 0) : 0;
        int typed = length == 0 || (first < 128 && typed_first[first]);
        value = typed ? PyObject_CallOneArg(plain_value, text) : Py_NewRef(text);
    } else {
        if (style == style_literal || style == style_folded)
            while (end > start && (char_at(b, end - 1) == ' ' || char_at(b, end - 1) == '\n'))
                end--;
        value = Py_NewRef(text);
    }
    PyObject *span = value != NULL ? new_span(b, start, end) : NULL;
    PyObject *node = NULL;
    if (span != NULL) {
        Py_ssize_t offsets[4] = {scalar_span, scalar_value, scalar_text, scalar_style};
        PyObject *values[4] = {span, value, text, style};
        node = new_node(ScalarType, 4, offsets, values);
    }
    Py_XDECREF(span);
    Py_XDECREF(value);
    Py_DECREF(text);
    if (node == NULL)
        return FAILED;
    if (event->data.scalar.anchor != NULL) {
        int added = add_anchor(b, event->data.scalar.anchor, (Py_ssize_t)event->start_mark.index, node);
        if (added != BUILT) {
            Py_DECREF(node);
            return added;
        }
    }
    *out = node;
    return BUILT;
}

static int
alias_node(Builder *b, const yaml_event_t *event, PyObject **out)
{
    Py_ssize_t at = (Py_ssize_t)event->start_mark.index;
    if (spend_value(b, at) != BUILT)
        return FAILED;
    PyObject *name = decoded(event->data.alias.anchor, strlen((const char *)event->data.alias.anchor));
    if (name == NULL)
        return FAILED;
    PyObject *node = same_name_in_1_2(b, at, name) ? PyDict_GetItemWithError(b->anchors, name) : NULL;
    Py_DECREF(name);
    if (node == NULL)
        return PyErr_Occurred() ? FAILED : REFUSED; /* an unknown alias: ruamel reports it */
    *out = Py_NewRef(node);
    return BUILT;
}

static int
open_collection(Builder *b, const yaml_event_t *event)
{
    int mapping = event->type == YAML_MAPPING_START_EVENT;
    const yaml_char_t *tag = mapping ? event->data.mapping_start.tag : event->data.sequence_start.tag;
    const yaml_char_t *anchor = mapping ? event->data.mapping_start.anchor : event->data.sequence_start.anchor;
    int flow = mapping ? event->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                       : event->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
    if (tag != NULL)
        return REFUSED;
    Py_ssize_t start = (Py_ssize_t)event->start_mark.index;
    PyObject *span = new_span(b, start, start);
    PyObject *children = span != NULL ? PyList_New(0) : NULL;
    PyObject *node = NULL;
    if (children != NULL) {
        PyObject *flag = flow ? Py_True : Py_False;
        if (mapping) {
            Py_ssize_t offsets[4] = {mapping_span, mapping_pairs, mapping_flow, mapping_index};
            PyObject *values[4] = {span, children, flag, Py_None};
            node = new_node(MappingType, 4, offsets, values);
        } else {
            Py_ssize_t offsets[3] = {sequence_span, sequence_items, sequence_flow};
            PyObject *values[3] = {span, children, flag};
            node = new_node(SequenceType, 3, offsets, values);
        }
    }
    Py_XDECREF(span);
    Py_XDECREF(children);
    if (node == NULL)
        return FAILED;
    if (anchor != NULL) {
        int added = add_anchor(b, anchor, start, node);
        if (added != BUILT) {
            Py_DECREF(node);
            return added;
        }
    }
    PyObject *seen = mapping ? PyDict_New() : NULL;
    if (mapping && seen == NULL) {
        Py_DECREF(node);
        return FAILED;
    }
    if (b->depth == b->capacity) {
        Py_ssize_t capacity = b->capacity ? b->capacity * 2 : 32;
        Frame *grown = PyMem_Realloc(b->stack, (size_t)capacity * sizeof(Frame));
        if (grown == NULL) {
            Py_DECREF(node);
            Py_XDECREF(seen);
            PyErr_NoMemory();
            return FAILED;
        }
        b->stack = grown;
        b->capacity = capacity;
    }
    Frame *frame = &b->stack[b->depth++];
    frame->node = node;
    frame->children = SLOT(node, mapping ? mapping_pairs : sequence_items);
    frame->key = NULL;
    frame->seen = seen;
    frame->is_mapping = mapping;
    frame->context = flow ? CONTEXT_OTHER : mapping ? CONTEXT_BLOCK_VALUE : CONTEXT_BLOCK_ENTRY;
    return BUILT;
}

static void
drop_frame(Frame *frame)
{
    Py_CLEAR(frame->node);
    Py_CLEAR(frame->key);
    Py_CLEAR(frame->seen);
}

/* Close the innermost collection: its span ends at its last child (block) or its closing bracket (flow). */
static int
close_collection(Builder *b, const yaml_event_t *event, PyObject **out)
{
    Frame frame = b->stack[--b->depth];
    PyObject *node = frame.node;
    Py_ssize_t span_offset = frame.is_mapping ? mapping_span : sequence_span;
    Py_ssize_t start = PyLong_AsSsize_t(SLOT(SLOT(node, span_offset), span_start));
    Py_ssize_t end = (Py_ssize_t)event->end_mark.index;
    int flow = SLOT(node, frame.is_mapping ? mapping_flow : sequence_flow) == Py_True;
    Py_ssize_t count = PyList_GET_SIZE(frame.children);
    if (!flow && count > 0) {
        PyObject *last = PyList_GET_ITEM(frame.children, count - 1);
        if (frame.is_mapping)
            last = SLOT(last, pair_value);
        end = span_bound(last, span_end);
    } else if (end < start) {
        end = start;
    }
    int pending_key = frame.key != NULL;
    frame.node = NULL;
    drop_frame(&frame);
    PyObject *span = end >= 0 && !PyErr_Occurred() ? new_span(b, start, end) : NULL;
    if (span == NULL) {
        Py_DECREF(node);
        return FAILED;
    }
    set_slot(node, span_offset, span);
    Py_DECREF(span);
    if (pending_key) {
        Py_DECREF(node);
        return REFUSED; /* a mapping that ended after a key */
    }
    *out = node;
    return BUILT;
}

/* Attach a finished node (reference stolen) to its collection, or make it a document. */
static int
attach(Builder *b, PyObject *node)
{
    if (b->depth == 0) {
        int failed = PyList_Append(b->documents, node);
        Py_DECREF(node);
        return failed ? FAILED : BUILT;
    }
    Frame *top = &b->stack[b->depth - 1];
    if (!top->is_mapping) {
        int failed = PyList_Append(top->children, node);
        Py_DECREF(node);
        return failed ? FAILED : BUILT;
    }
    if (top->key == NULL) {
        top->key = node;
        return BUILT;
    }
    PyObject *key = top->key;
    top->key = NULL;
    Py_ssize_t offsets[2] = {pair_key, pair_value};
    PyObject *values[2] = {key, node};
    PyObject *pair = new_node(PairType, 2, offsets, values);
    Py_DECREF(node);
    int result = pair != NULL && PyList_Append(top->children, pair) == 0 ? BUILT : FAILED;
    Py_XDECREF(pair);
    if (result == BUILT && Py_IS_TYPE(key, (PyTypeObject *)ScalarType)) {
        PyObject *text = SLOT(key, scalar_text), *span = SLOT(key, scalar_span);
        PyObject *first = PyDict_GetItemWithError(top->seen, text);
        if (first == NULL) {
            if (PyErr_Occurred() || PyDict_SetItem(top->seen, text, span) < 0)
                result = FAILED;
        } else {
            PyObject *duplicate = PyObject_CallFunctionObjArgs(DuplicateKeyType, text, first, span, NULL);
            if (duplicate == NULL || PyList_Append(b->duplicates, duplicate) < 0)
                result = FAILED;
            Py_XDECREF(duplicate);
        }
    }
    Py_DECREF(key);
    return result;
}

static int
next_step(Builder *b, const yaml_event_t *event)
{
    PyObject *node = NULL;
    int result;
    switch (event->type) {
    case YAML_SCALAR_EVENT:
        result = scalar_node(b, event, &node);
        break;
    case YAML_ALIAS_EVENT:
        result = alias_node(b, event, &node);
        break;
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
        return open_collection(b, event);
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        if (b->depth == 0)
            return REFUSED;
        result = close_collection(b, event, &node);
        break;
    case YAML_DOCUMENT_START_EVENT:
        if (event->data.document_start.version_directive != NULL
            || event->data.document_start.tag_directives.start != event->data.document_start.tag_directives.end)
            return REFUSED;
        PyDict_Clear(b->anchors);
        return BUILT;
    case YAML_DOCUMENT_END_EVENT:
    case YAML_STREAM_START_EVENT:
    case YAML_STREAM_END_EVENT:
        return BUILT;
    default:
        return REFUSED;
    }
    return result == BUILT ? attach(b, node) : result;
}

static PyObject *
build(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *text, *duplicates, *offsets;
    if (!PyArg_ParseTuple(args, "UO!O", &text, &PyList_Type, &duplicates, &offsets))
        return NULL;
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0)
        return NULL;
#endif
    if (SpanType == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "configure() first");
        return NULL;
    }
    if (offsets != Py_None && !PyList_Check(offsets)) {
        PyErr_SetString(PyExc_TypeError, "offsets must be a list or None");
        return NULL;
    }
    /* libyaml reads UTF-8; ASCII text is already that, without a copy. */
    PyObject *encoded = NULL;
    const char *bytes;
    Py_ssize_t size;
    if (PyUnicode_IS_ASCII(text)) {
        bytes = (const char *)PyUnicode_DATA(text);
        size = PyUnicode_GET_LENGTH(text);
    } else {
        encoded = PyUnicode_AsUTF8String(text);
        if (encoded == NULL)
            return NULL; /* lone surrogates: the caller gives the text to ruamel */
        bytes = PyBytes_AS_STRING(encoded);
        size = PyBytes_GET_SIZE(encoded);
    }
    Builder b = {0};
    b.text = text;
    b.kind = PyUnicode_KIND(text);
    b.data = PyUnicode_DATA(text);
    b.length = PyUnicode_GET_LENGTH(text);
    b.offsets = offsets == Py_None ? NULL : offsets;
    b.shared_offsets = b.offsets ? PyList_GET_SIZE(b.offsets) : 0;
    b.duplicates = duplicates;
    b.budget = max_values;
    b.anchors = PyDict_New();
    b.documents = PyList_New(0);
    yaml_parser_t parser;
    int result = (b.anchors && b.documents) ? BUILT : FAILED;
    int parser_ready = result == BUILT && yaml_parser_initialize(&parser);
    if (result == BUILT && !parser_ready) {
        PyErr_NoMemory();
        result = FAILED;
    }
    if (parser_ready) {
        yaml_parser_set_input_string(&parser, (const unsigned char *)bytes, (size_t)size);
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
        while (result == BUILT) {
            yaml_event_t event;
            if (!yaml_parser_parse(&parser, &event)) {
                result = REFUSED; /* a YAML error: ruamel reports it */
                break;
            }
            int done = event.type == YAML_STREAM_END_EVENT;
            result = next_step(&b, &event);
            yaml_event_delete(&event);
            if (done)
                break;
        }
        yaml_parser_delete(&parser);
    }
    while (b.depth > 0)
        drop_frame(&b.stack[--b.depth]);
    PyMem_Free(b.stack);
    Py_XDECREF(b.anchors);
    Py_XDECREF(encoded);
    if (result == BUILT)
        return b.documents;
    Py_XDECREF(b.documents);
    if (result == FAILED)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS,
     "configure(Span, Scalar, Mapping, Sequence, Pair, DuplicateKey, TooManyValues, plain_value, typed_first, short, max_values)"},
    {"build", build, METH_VARARGS, "build(text, duplicates, offsets) -> documents, or None to leave the text to ruamel"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_compose", "libyaml events into packls nodes, in compiled code.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__compose(void)
{
    style_single = PyUnicode_InternFromString("'");
    style_double = PyUnicode_InternFromString("\"");
    style_literal = PyUnicode_InternFromString("|");
    style_folded = PyUnicode_InternFromString(">");
    if (!style_single || !style_double || !style_literal || !style_folded)
        return NULL;
    return PyModule_Create(&module);
}
