// SPDX-License-Identifier: BSD-3-Clause
/*
 * hello-cpp: what C++ needs from Cairn (lib/cxx), step by step, each
 * printing what it got. A step that goes wrong prints "FAIL" and makes
 * the exit status 1.
 */
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

static int failures;

static void check(bool ok, const char *what)
{
	std::printf("%s %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		failures++;
}

/* A global object: its constructor runs before main. */
struct Greeter {
	std::string text;
	bool constructed;

	Greeter() : text("constructed before main"), constructed(true)
	{
		std::printf("global constructor: %s\n", text.c_str());
	}
};
static Greeter greeter;

struct Shape {
	virtual ~Shape() {}
	virtual double area() const = 0;
	virtual const char *name() const { return "shape"; }
};

struct Square : Shape {
	double s;
	explicit Square(double side) : s(side) {}
	double area() const override { return s * s; }
	const char *name() const override { return "square"; }
};

struct Circle : Shape {
	double r;
	explicit Circle(double radius) : r(radius) {}
	double area() const override { return 3 * r * r; }	/* pi = 3 */
};

struct Error : std::runtime_error {
	int code;
	Error(const char *what, int c) : std::runtime_error(what), code(c) {}
};

static int thrower(int depth)
{
	if (depth == 0)
		throw Error("thrown three calls deep", 42);
	return thrower(depth - 1) + 1;
}

/* A local static with a non-trivial initialiser: __cxa_guard_*. */
static int counted()
{
	static std::string once = std::string("init") + "ialised once";
	return (int)once.size();
}

int main(int argc, char **argv)
{
	if (argc > 1 && !std::strcmp(argv[1], "uncaught")) {
		std::printf("throwing an exception no one catches\n");
		std::fflush(stdout);
		thrower(2);
		return 0;	/* not reached */
	}

	check(greeter.constructed, "global object constructed before main");

	std::vector<Shape *> shapes;
	shapes.push_back(new Square(3));
	shapes.push_back(new Circle(2));
	double total = 0;
	for (Shape *s : shapes) {
		std::printf("%s: area %g\n", s->name(), s->area());
		total += s->area();
	}
	check(total == 21, "virtual functions (9 + 12 = 21)");

	check(dynamic_cast<Square *>(shapes[0]) != nullptr &&
	      dynamic_cast<Square *>(shapes[1]) == nullptr,
	      "dynamic_cast finds the square only");
	std::printf("typeid: %s\n", typeid(*shapes[0]).name());
	check(typeid(*shapes[1]) == typeid(Circle), "typeid of a Circle");
	for (Shape *s : shapes)
		delete s;

	std::string s = "Hello";
	s += ", C++ on Cairn";
	std::vector<int> v;
	for (int i = 1; i <= 100; i++)
		v.push_back(i);
	int sum = 0;
	for (int x : v)
		sum += x;
	std::printf("%s: vector of %zu, sum %d\n", s.c_str(), v.size(), sum);
	check(sum == 5050 && s.size() == 19, "std::string and std::vector");

	int *arr = new int[1000];
	arr[999] = 7;
	struct alignas(64) Wide { char c[64]; };
	Wide *w = new Wide;
	check(((unsigned long)w % 64) == 0 && arr[999] == 7,
	      "new[] and aligned new");
	delete w;
	delete[] arr;

	try {
		thrower(3);
		check(false, "exception thrown");
	} catch (const Error &e) {
		std::printf("caught: %s (code %d)\n", e.what(), e.code);
		check(e.code == 42, "exception caught through 3 frames");
	}
	try {
		std::vector<int> small(2);
		small.at(5) = 1;
		check(false, "std::out_of_range thrown");
	} catch (const std::out_of_range &e) {
		check(true, "std::out_of_range from vector::at");
	}

	check(counted() == 16 && counted() == 16, "local static");
	std::printf("hello-cpp: %s\n", failures ? "FAILED" : "all good");
	return failures ? 1 : 0;
}
